package io.embed4j.torch;

import io.embed4j.backend.TokenBatch;
import io.embed4j.tokenize.TokenizedText;
import java.util.List;

/** Pads tokenized texts into one {@link TokenBatch}, truncating each to a maximum length first. */
public final class Batches {
  private Batches() {}

  /**
   * Rows in the given order, each truncated to {@code maxLength} tokens (special tokens kept), padded
   * with id 0 at the end to the longest row.
   */
  public static TokenBatch pad(List<TokenizedText> texts, int maxLength) {
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("cannot pad an empty list of texts");
    }
    TokenizedText[] rows = new TokenizedText[texts.size()];
    int seqLen = 1;
    for (int i = 0; i < rows.length; i++) {
      rows[i] = texts.get(i).truncate(maxLength);
      seqLen = Math.max(seqLen, rows[i].length());
    }
    int n = rows.length;
    long[] ids = new long[n * seqLen];
    long[] mask = new long[n * seqLen];
    long[] types = new long[n * seqLen];
    int[] lengths = new int[n];
    for (int i = 0; i < n; i++) {
      TokenizedText t = rows[i];
      System.arraycopy(t.ids(), 0, ids, i * seqLen, t.length());
      System.arraycopy(t.typeIds(), 0, types, i * seqLen, t.length());
      java.util.Arrays.fill(mask, i * seqLen, i * seqLen + t.length(), 1L);
      lengths[i] = t.length();
    }
    return new TokenBatch(n, seqLen, ids, mask, types, lengths);
  }
}

package io.embed4j.encode;

import io.embed4j.backend.TokenBatch;
import io.embed4j.tokenize.TokenizedText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts token sequences into padded batches by a token budget: sequences are sorted longest first,
 * and a batch grows while {@code size x longest <= batchTokens} and {@code size <= maxBatchSize}.
 * Sorting keeps padding small; the budget keeps memory and latency bounded whatever the lengths.
 */
public final class BatchPlanner {
  /**
   * A sequence to embed.
   *
   * @param text index of the input text it belongs to
   * @param window index of the window within that text (0 unless chunked)
   * @param weight weight of this window when windows are pooled (its content tokens)
   * @param tokens the token sequence, special tokens included
   */
  public record Item(int text, int window, int weight, TokenizedText tokens) {}

  /** A planned batch: the tensor inputs and, per row, the item it came from. */
  public record Planned(TokenBatch batch, Item[] rows) {}

  private BatchPlanner() {}

  public static List<Planned> plan(List<Item> items, int batchTokens, int maxBatchSize) {
    Item[] sorted = items.toArray(new Item[0]);
    Arrays.sort(sorted, Comparator.comparingInt((Item i) -> i.tokens().length()).reversed());
    List<Planned> out = new ArrayList<>();
    int start = 0;
    while (start < sorted.length) {
      int longest = sorted[start].tokens().length();
      int end = start + 1;
      // Sorted longest first, so the first sequence fixes the padded length of the batch.
      while (end < sorted.length && end - start < maxBatchSize && (long) (end - start + 1) * longest <= batchTokens) {
        end++;
      }
      out.add(pad(sorted, start, end, longest));
      start = end;
    }
    return out;
  }

  private static Planned pad(Item[] sorted, int start, int end, int seqLen) {
    int size = end - start;
    long[] ids = new long[size * seqLen];
    long[] mask = new long[size * seqLen];
    long[] types = new long[size * seqLen];
    int[] lengths = new int[size];
    Item[] rows = new Item[size];
    for (int r = 0; r < size; r++) {
      TokenizedText t = sorted[start + r].tokens();
      int n = t.length();
      System.arraycopy(t.ids(), 0, ids, r * seqLen, n);
      System.arraycopy(t.typeIds(), 0, types, r * seqLen, n);
      Arrays.fill(mask, r * seqLen, r * seqLen + n, 1L);
      lengths[r] = n;
      rows[r] = sorted[start + r];
    }
    return new Planned(new TokenBatch(size, seqLen, ids, mask, types, lengths), rows);
  }
}

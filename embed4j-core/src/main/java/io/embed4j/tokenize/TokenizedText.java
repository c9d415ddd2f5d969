package io.embed4j.tokenize;

/**
 * One tokenized text, special tokens included, before any truncation.
 *
 * @param ids token ids
 * @param typeIds token type ids (all 0 for a single sequence)
 * @param prefixLength number of special tokens at the start (1 for BERT's [CLS])
 * @param suffixLength number of special tokens at the end (1 for BERT's [SEP])
 */
public record TokenizedText(long[] ids, long[] typeIds, int prefixLength, int suffixLength) {
  public int length() {
    return ids.length;
  }

  /** Tokens that are content, not special. */
  public int contentLength() {
    return ids.length - prefixLength - suffixLength;
  }

  /**
   * The token window {@code [start, start + count)} of the content, with the special prefix and
   * suffix around it, as a tokenizer truncating to {@code count + prefix + suffix} would produce
   * for {@code start = 0}.
   */
  public TokenizedText window(int start, int count) {
    int from = prefixLength + Math.max(0, start);
    int to = Math.min(prefixLength + contentLength(), from + Math.max(0, count));
    int n = prefixLength + (to - from) + suffixLength;
    long[] newIds = new long[n];
    long[] newTypes = new long[n];
    System.arraycopy(ids, 0, newIds, 0, prefixLength);
    System.arraycopy(typeIds, 0, newTypes, 0, prefixLength);
    System.arraycopy(ids, from, newIds, prefixLength, to - from);
    System.arraycopy(typeIds, from, newTypes, prefixLength, to - from);
    System.arraycopy(ids, ids.length - suffixLength, newIds, n - suffixLength, suffixLength);
    System.arraycopy(typeIds, ids.length - suffixLength, newTypes, n - suffixLength, suffixLength);
    return new TokenizedText(newIds, newTypes, prefixLength, suffixLength);
  }

  /** Truncated to at most {@code maxLength} tokens, special tokens kept at both ends. */
  public TokenizedText truncate(int maxLength) {
    if (ids.length <= maxLength) {
      return this;
    }
    return window(0, maxLength - prefixLength - suffixLength);
  }
}

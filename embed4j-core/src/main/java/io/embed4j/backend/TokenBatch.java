package io.embed4j.backend;

/**
 * A padded batch of token sequences, row-major [size, seqLen]. Padding is at the end of each row
 * (attention mask 0); {@code lengths[i]} is the number of real tokens of row i.
 */
public record TokenBatch(int size, int seqLen, long[] inputIds, long[] attentionMask, long[] tokenTypeIds, int[] lengths) {
  public TokenBatch {
    if (inputIds.length != size * seqLen || attentionMask.length != size * seqLen || tokenTypeIds.length != size * seqLen) {
      throw new IllegalArgumentException("batch arrays must hold " + size + "x" + seqLen + " values");
    }
    if (lengths.length != size) {
      throw new IllegalArgumentException("lengths must hold " + size + " values, got " + lengths.length);
    }
  }

  /** Tokens in the batch including padding: the work the encoder does. */
  public long paddedTokens() {
    return (long) size * seqLen;
  }

  public long realTokens() {
    long n = 0;
    for (int l : lengths) {
      n += l;
    }
    return n;
  }
}

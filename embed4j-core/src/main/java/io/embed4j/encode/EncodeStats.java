package io.embed4j.encode;

/**
 * What one encode call did: texts, token counts with and without padding, batches, and time.
 *
 * @param texts inputs encoded
 * @param sequences sequences run through the encoder (more than texts when long inputs are chunked)
 * @param realTokens tokens that carry text (special tokens included)
 * @param paddedTokens tokens the encoder processed, padding included
 * @param batches inference calls
 * @param nanos wall time of the call
 */
public record EncodeStats(long texts, long sequences, long realTokens, long paddedTokens, long batches, long nanos) {
  public static final EncodeStats EMPTY = new EncodeStats(0, 0, 0, 0, 0, 0);

  /** Share of processed tokens that were padding. */
  public double paddingRatio() {
    return paddedTokens == 0 ? 0 : 1.0 - (double) realTokens / paddedTokens;
  }

  public EncodeStats plus(EncodeStats o) {
    return new EncodeStats(texts + o.texts, sequences + o.sequences, realTokens + o.realTokens,
        paddedTokens + o.paddedTokens, batches + o.batches, nanos + o.nanos);
  }
}

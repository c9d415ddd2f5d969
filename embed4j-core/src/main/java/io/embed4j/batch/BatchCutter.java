package io.embed4j.batch;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Chooses which queued inputs run in the next encoder batch: always the oldest, joined by inputs of
 * similar length so the batch pads little.
 *
 * <p>The queued lengths are sorted longest first (ties oldest first), as offline encoding sorts its
 * texts. The batch starts as the oldest input and grows one sorted neighbour at a time, taking the
 * side that adds less padding: a shorter neighbour pads itself up to the batch's width, a longer one
 * widens every row already taken. It stops at {@code maxBatchSize} texts or {@code maxBatchTokens}
 * padded tokens, and, once it holds {@code minBatchSize} texts, at the first neighbour whose padding
 * would exceed {@code paddingTolerance} times its own length: that input waits for a batch of its
 * own length, which the next cut (as soon as a worker is free) may find among newer arrivals.
 *
 * <p>Under a queue of a few dozen single-text requests, cutting fixed-size consecutive groups pads
 * 17-20 % of the tokens; this cut trades a few more, smaller batches for much less padding (see
 * docs/benchmarks.md, "Server"). The oldest input is always served, so nobody starves.
 */
final class BatchCutter {
  private final int maxBatchTokens;
  private final int maxBatchSize;
  private final int minBatchSize;
  private final double paddingTolerance;

  BatchCutter(int maxBatchTokens, int maxBatchSize, int minBatchSize, double paddingTolerance) {
    if (maxBatchTokens < 1 || maxBatchSize < 1 || minBatchSize < 1 || !(paddingTolerance >= 0)) {
      throw new IllegalArgumentException("batch cut limits must be positive: tokens " + maxBatchTokens + ", size " + maxBatchSize
          + ", min size " + minBatchSize + ", padding tolerance " + paddingTolerance);
    }
    this.maxBatchTokens = maxBatchTokens;
    this.maxBatchSize = maxBatchSize;
    this.minBatchSize = Math.min(minBatchSize, maxBatchSize);
    this.paddingTolerance = paddingTolerance;
  }

  /**
   * The inputs of the next batch.
   *
   * @param lengths token counts of the queued inputs in arrival order, index 0 the oldest
   * @return indices into {@code lengths}, ascending (arrival order); never empty when lengths is not
   */
  int[] cut(int[] lengths) {
    int n = lengths.length;
    if (n == 0) {
      return new int[0];
    }
    Integer[] order = new Integer[n];
    for (int k = 0; k < n; k++) {
      order[k] = k;
    }
    Arrays.sort(order, Comparator.comparingInt((Integer k) -> -lengths[k]).thenComparingInt(k -> k));
    int oldest = 0;
    while (order[oldest] != 0) {
      oldest++;
    }
    // The batch is the sorted run [from, to): its width is the length at `from`.
    int from = oldest;
    int to = oldest + 1;
    while (to - from < maxBatchSize) {
      int size = to - from;
      int width = lengths[order[from]];
      long widen = from > 0 ? (long) (lengths[order[from - 1]] - width) * size : Long.MAX_VALUE;
      long pad = to < n ? width - lengths[order[to]] : Long.MAX_VALUE;
      boolean fitsLonger = from > 0 && (long) (size + 1) * lengths[order[from - 1]] <= maxBatchTokens;
      boolean fitsShorter = to < n && (long) (size + 1) * width <= maxBatchTokens;
      boolean longer;
      if (fitsLonger && fitsShorter) {
        longer = widen < pad;
      } else if (fitsLonger || fitsShorter) {
        longer = fitsLonger;
      } else {
        break;
      }
      int candidate = longer ? from - 1 : to;
      long added = longer ? widen : pad;
      if (size >= minBatchSize && added > paddingTolerance * lengths[order[candidate]]) {
        break;
      }
      if (longer) {
        from--;
      } else {
        to++;
      }
    }
    int[] taken = new int[to - from];
    for (int k = from; k < to; k++) {
      taken[k - from] = order[k];
    }
    Arrays.sort(taken);
    return taken;
  }
}

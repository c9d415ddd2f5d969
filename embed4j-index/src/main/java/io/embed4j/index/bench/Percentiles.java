package io.embed4j.index.bench;

import java.util.Arrays;

/** Latency percentiles (nearest rank) over measured nanoseconds. */
public record Percentiles(double p50Millis, double p99Millis, double meanMillis, int samples) {
  public static Percentiles of(long[] nanos) {
    if (nanos.length == 0) {
      return new Percentiles(0, 0, 0, 0);
    }
    long[] s = nanos.clone();
    Arrays.sort(s);
    return new Percentiles(rank(s, 0.50) / 1e6, rank(s, 0.99) / 1e6, Arrays.stream(s).average().orElse(0) / 1e6, s.length);
  }

  private static long rank(long[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}

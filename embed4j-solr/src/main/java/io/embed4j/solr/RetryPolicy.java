package io.embed4j.solr;

import java.time.Duration;

/**
 * How often and how patiently a failed request to Solr is tried again: exponential backoff from
 * {@code initial} up to {@code max} between tries, giving up after {@code attempts} tries. The
 * default rides out a node restart or a leader election (about a minute in all).
 */
public record RetryPolicy(int attempts, Duration initial, Duration max) {
  public RetryPolicy {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1, got " + attempts);
    }
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff must satisfy 0 <= initial <= max, got " + initial + ", " + max);
    }
  }

  public static RetryPolicy defaults() {
    return new RetryPolicy(12, Duration.ofMillis(250), Duration.ofSeconds(8));
  }

  /** For the first request to a cluster: a wrong address or a cluster that is down is reported within seconds. */
  public static final RetryPolicy FIRST_CONTACT = new RetryPolicy(3, Duration.ofMillis(250), Duration.ofSeconds(1));

  /** The pause before try number {@code attempt} (the first retry is attempt 2). */
  Duration backoff(int attempt) {
    long ms = initial.toMillis() << Math.min(20, Math.max(0, attempt - 2));
    return Duration.ofMillis(Math.min(ms, max.toMillis()));
  }
}

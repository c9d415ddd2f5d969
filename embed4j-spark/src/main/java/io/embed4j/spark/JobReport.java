package io.embed4j.spark;

import java.util.List;
import java.util.Locale;

/**
 * What a run of {@link EmbedJob} did.
 *
 * @param output the output directory
 * @param buckets buckets in the output
 * @param alreadyDone buckets committed before this run, left as they were
 * @param embedded buckets this run wrote
 * @param written rows this run wrote
 * @param duplicateIds rows dropped because their id was already written
 * @param missing rows dropped because their id or text was null
 * @param tokens tokens encoded (special tokens included)
 * @param paddedTokens tokens the encoder processed, padding included
 * @param encodeNanos time in encode calls, summed over tasks
 * @param taskNanos time in the write tasks, summed
 * @param wallNanos wall time of the run on the driver, model load and Spark's scheduling included
 */
public record JobReport(String output, int buckets, int alreadyDone, int embedded, long written, long duplicateIds, long missing,
    long tokens, long paddedTokens, long encodeNanos, long taskNanos, long wallNanos) {

  static JobReport of(String output, int buckets, List<BucketResult> results, long wallNanos) {
    int done = 0;
    int embedded = 0;
    long written = 0;
    long duplicates = 0;
    long missing = 0;
    long tokens = 0;
    long padded = 0;
    long encode = 0;
    long task = 0;
    for (BucketResult r : results) {
      if (r.alreadyDone()) {
        done++;
        continue;
      }
      embedded++;
      written += r.written();
      duplicates += r.duplicateIds();
      missing += r.missing();
      tokens += r.tokens();
      padded += r.paddedTokens();
      encode += r.encodeNanos();
      task += r.taskNanos();
    }
    return new JobReport(output, buckets, done, embedded, written, duplicates, missing, tokens, padded, encode, task, wallNanos);
  }

  /** Rows written per second of wall time. */
  public double rowsPerSecond() {
    return wallNanos == 0 ? 0 : written / (wallNanos / 1e9);
  }

  /** One paragraph for the log. */
  public String summary() {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "embedded %d texts (%d tokens, padding %.1f%%) into %d of %d buckets in %.1f s: %.0f texts/s",
        written, tokens, paddedTokens == 0 ? 0 : 100.0 * (paddedTokens - tokens) / paddedTokens, embedded, buckets,
        wallNanos / 1e9, rowsPerSecond()));
    if (alreadyDone > 0) {
      s.append(String.format(Locale.ROOT, "; %d bucket(s) were already done and left as they were", alreadyDone));
    }
    if (duplicateIds > 0) {
      s.append(String.format(Locale.ROOT, "; %d row(s) repeated an id and were dropped", duplicateIds));
    }
    if (missing > 0) {
      s.append(String.format(Locale.ROOT, "; %d row(s) had no id or no text and were dropped", missing));
    }
    return s.append("; output ").append(output).toString();
  }
}

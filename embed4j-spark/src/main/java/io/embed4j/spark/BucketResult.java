package io.embed4j.spark;

import io.embed4j.encode.EncodeStats;
import java.io.Serializable;

/**
 * What one task did with its bucket, sent back to the driver for the job's report.
 *
 * @param bucket the bucket (the task's partition)
 * @param alreadyDone the bucket's file was committed before this task started (nothing redone)
 * @param written rows written
 * @param duplicateIds rows dropped because their id had already been written in this bucket
 * @param missing rows dropped because their id or text was null
 * @param texts texts encoded
 * @param tokens tokens of those texts, special tokens included
 * @param paddedTokens tokens the encoder processed, padding included
 * @param encodeNanos time spent in encode calls
 * @param taskNanos wall time of the task: read, encode, write, commit
 */
public record BucketResult(int bucket, boolean alreadyDone, long written, long duplicateIds, long missing,
    long texts, long tokens, long paddedTokens, long encodeNanos, long taskNanos) implements Serializable {

  static BucketResult skipped(int bucket) {
    return new BucketResult(bucket, true, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  static BucketResult done(int bucket, long written, long duplicateIds, long missing, EncodeStats encode, long taskNanos) {
    return new BucketResult(bucket, false, written, duplicateIds, missing, encode.texts(), encode.realTokens(),
        encode.paddedTokens(), encode.nanos(), taskNanos);
  }
}

package io.embed4j.batch;

/**
 * What a {@link DynamicBatcher} returns for one request, with where its time went.
 *
 * @param vectors one embedding per input, in input order (null when token embeddings were asked for)
 * @param tokenEmbeddings per input, one row per token (null unless asked for)
 * @param tokens tokens the encoder read for this request, special tokens included, after truncation
 * @param tokenizeNanos time spent tokenizing the request
 * @param queueNanos time its longest-waiting input spent queued before its batch ran
 * @param inferenceNanos time of the batches its inputs ran in (shared with the other requests in them)
 */
public record BatchResult(float[][] vectors, float[][][] tokenEmbeddings, long tokens, long tokenizeNanos, long queueNanos,
    long inferenceNanos) {
  public int size() {
    return vectors != null ? vectors.length : tokenEmbeddings.length;
  }
}

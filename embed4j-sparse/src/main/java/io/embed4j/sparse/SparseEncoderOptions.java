package io.embed4j.sparse;

import io.embed4j.backend.BackendOptions;

/**
 * How to load and run a sparse encoder. Build from {@link #defaults()} and the {@code with*} methods.
 *
 * @param backend ONNX Runtime threads, graph optimization, cache
 * @param query how queries are encoded and pruned ({@link SparseEncoder#encodeQuery})
 * @param document how documents are encoded and pruned ({@link SparseEncoder#encodeDocument})
 * @param batchTokens padded tokens per inference batch. A masked-LM head returns
 *     {@code tokens x vocabulary} floats per batch (1024 x 30522 x 4 bytes = 125 MB), so the default
 *     is half the sentence encoders' budget
 * @param maxBatchSize texts per inference batch at most
 */
public record SparseEncoderOptions(BackendOptions backend, SparseOptions query, SparseOptions document, int batchTokens, int maxBatchSize) {
  public static final int DEFAULT_BATCH_TOKENS = 1024;
  public static final int DEFAULT_MAX_BATCH_SIZE = 32;

  public SparseEncoderOptions {
    if (backend == null || query == null || document == null) {
      throw new IllegalArgumentException("backend, query and document options must not be null");
    }
    if (batchTokens < 1) {
      throw new IllegalArgumentException("batch tokens must be >= 1, got " + batchTokens);
    }
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("max batch size must be >= 1, got " + maxBatchSize);
    }
  }

  public static SparseEncoderOptions defaults() {
    return new SparseEncoderOptions(BackendOptions.defaults(), SparseOptions.defaults(), SparseOptions.defaults(),
        DEFAULT_BATCH_TOKENS, DEFAULT_MAX_BATCH_SIZE);
  }

  public SparseEncoderOptions withBackend(BackendOptions b) {
    return new SparseEncoderOptions(b, query, document, batchTokens, maxBatchSize);
  }

  public SparseEncoderOptions withQuery(SparseOptions q) {
    return new SparseEncoderOptions(backend, q, document, batchTokens, maxBatchSize);
  }

  public SparseEncoderOptions withDocument(SparseOptions d) {
    return new SparseEncoderOptions(backend, query, d, batchTokens, maxBatchSize);
  }

  /** The same options for both sides. */
  public SparseEncoderOptions withBothSides(SparseOptions o) {
    return new SparseEncoderOptions(backend, o, o, batchTokens, maxBatchSize);
  }

  public SparseEncoderOptions withBatching(int tokens, int size) {
    return new SparseEncoderOptions(backend, query, document, tokens, size);
  }
}

package io.embed4j.rerank;

import io.embed4j.backend.BackendOptions;
import io.embed4j.encode.EncodeOptions;

/**
 * How to load and run a cross-encoder. Build from {@link #defaults()} and the {@code with*} methods.
 *
 * @param backend ONNX Runtime threads, graph optimization, cache
 * @param activation overrides the model's activation; null keeps what the model says
 * @param maxLength overrides the model's max length (tokens per pair); 0 keeps the model's
 * @param batchTokens padded tokens per inference batch (pairs x longest pair)
 * @param maxBatchSize pairs per inference batch at most
 */
public record CrossEncoderOptions(BackendOptions backend, Activation activation, int maxLength, int batchTokens, int maxBatchSize) {
  public CrossEncoderOptions {
    if (backend == null) {
      throw new IllegalArgumentException("backend options must not be null");
    }
    if (maxLength < 0) {
      throw new IllegalArgumentException("max length must be >= 0 (0 = the model's), got " + maxLength);
    }
    if (batchTokens < 1) {
      throw new IllegalArgumentException("batch tokens must be >= 1, got " + batchTokens);
    }
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("max batch size must be >= 1, got " + maxBatchSize);
    }
  }

  public static CrossEncoderOptions defaults() {
    return new CrossEncoderOptions(BackendOptions.defaults(), null, 0, EncodeOptions.DEFAULT_BATCH_TOKENS, EncodeOptions.DEFAULT_MAX_BATCH_SIZE);
  }

  public CrossEncoderOptions withBackend(BackendOptions b) {
    return new CrossEncoderOptions(b, activation, maxLength, batchTokens, maxBatchSize);
  }

  public CrossEncoderOptions withActivation(Activation a) {
    return new CrossEncoderOptions(backend, a, maxLength, batchTokens, maxBatchSize);
  }

  public CrossEncoderOptions withMaxLength(int length) {
    return new CrossEncoderOptions(backend, activation, length, batchTokens, maxBatchSize);
  }

  public CrossEncoderOptions withBatching(int tokens, int size) {
    return new CrossEncoderOptions(backend, activation, maxLength, tokens, size);
  }
}

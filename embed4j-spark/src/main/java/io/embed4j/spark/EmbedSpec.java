package io.embed4j.spark;

import io.embed4j.backend.BackendOptions;
import io.embed4j.encode.EncodeOptions;
import io.embed4j.encode.LongInputMode;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Which model to run on the executors and how: what a Spark closure carries instead of a model.
 * Built on the driver, serialized into every task, and turned into an {@link EncodeOptions} and a
 * model from the executor's cache ({@link ExecutorModels}) there.
 *
 * @param model catalog name, sentence-transformers directory (on every executor) or Hub id
 * @param promptName one of the model's prompts (e.g. "passage"), or null for the model's default
 * @param prompt a raw prompt, or null; wins over promptName
 * @param dimensions keep the first N dimensions (Matryoshka); 0 keeps all
 * @param normalize L2-normalize; null follows the model
 * @param chunkLongInput pool windows over long inputs instead of truncating them
 * @param batchTokens padded tokens per inference batch
 * @param maxBatchSize texts per inference batch at most
 * @param blockSize texts handed to one encode call; the model sorts each block by length and cuts
 *     it into token-budget batches, so bigger blocks pad less
 * @param threads ONNX Runtime intra-op threads of the executor's model; 0 sizes them from the
 *     executor's cores and task slots ({@link ExecutorCores})
 * @param graphOptimization ONNX Runtime graph optimization level
 * @param ortCacheDir where executors cache the optimized graph, or null for none
 */
public record EmbedSpec(
    String model,
    String promptName,
    String prompt,
    int dimensions,
    Boolean normalize,
    boolean chunkLongInput,
    int batchTokens,
    int maxBatchSize,
    int blockSize,
    int threads,
    String graphOptimization,
    String ortCacheDir) implements Serializable {

  /** Texts per encode call by default: the same as {@code embed4j encode}, so batches pad the same. */
  public static final int DEFAULT_BLOCK_SIZE = 8192;

  public EmbedSpec {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model must be given (a catalog name, directory or Hub id)");
    }
    if (blockSize < 1) {
      throw new IllegalArgumentException("block size must be >= 1, got " + blockSize);
    }
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be >= 0 (0 = from the executor's cores), got " + threads);
    }
    // Let the core records check the rest now, on the driver, rather than in every task.
    new BackendOptions(threads, graphOptimization, null);
    new EncodeOptions(promptName, prompt, dimensions, normalize, LongInputMode.TRUNCATE, 32, batchTokens, maxBatchSize);
  }

  /** The model with embed4j's defaults: its own prompt, all dimensions, 2048-token batches. */
  public static EmbedSpec of(String model) {
    return new EmbedSpec(model, null, null, 0, null, false, EncodeOptions.DEFAULT_BATCH_TOKENS,
        EncodeOptions.DEFAULT_MAX_BATCH_SIZE, DEFAULT_BLOCK_SIZE, 0, "all", null);
  }

  public EncodeOptions encodeOptions() {
    return EncodeOptions.defaults()
        .withPromptName(promptName)
        .withPrompt(prompt)
        .withDimensions(dimensions)
        .withNormalize(normalize)
        .withLongInput(chunkLongInput ? LongInputMode.CHUNK : LongInputMode.TRUNCATE, 32)
        .withBatching(batchTokens, maxBatchSize);
  }

  /** Backend options for a model that runs with {@code effectiveThreads} intra-op threads. */
  BackendOptions backendOptions(int effectiveThreads) {
    return new BackendOptions(effectiveThreads, graphOptimization, ortCacheDir == null ? null : Path.of(ortCacheDir));
  }

  public EmbedSpec withPromptName(String name) {
    return new EmbedSpec(model, name, prompt, dimensions, normalize, chunkLongInput, batchTokens, maxBatchSize, blockSize, threads, graphOptimization, ortCacheDir);
  }

  public EmbedSpec withPrompt(String text) {
    return new EmbedSpec(model, promptName, text, dimensions, normalize, chunkLongInput, batchTokens, maxBatchSize, blockSize, threads, graphOptimization, ortCacheDir);
  }

  public EmbedSpec withDimensions(int n) {
    return new EmbedSpec(model, promptName, prompt, n, normalize, chunkLongInput, batchTokens, maxBatchSize, blockSize, threads, graphOptimization, ortCacheDir);
  }

  public EmbedSpec withNormalize(Boolean on) {
    return new EmbedSpec(model, promptName, prompt, dimensions, on, chunkLongInput, batchTokens, maxBatchSize, blockSize, threads, graphOptimization, ortCacheDir);
  }

  public EmbedSpec withChunkLongInput(boolean on) {
    return new EmbedSpec(model, promptName, prompt, dimensions, normalize, on, batchTokens, maxBatchSize, blockSize, threads, graphOptimization, ortCacheDir);
  }

  public EmbedSpec withBatching(int tokens, int maxSize) {
    return new EmbedSpec(model, promptName, prompt, dimensions, normalize, chunkLongInput, tokens, maxSize, blockSize, threads, graphOptimization, ortCacheDir);
  }

  public EmbedSpec withBlockSize(int texts) {
    return new EmbedSpec(model, promptName, prompt, dimensions, normalize, chunkLongInput, batchTokens, maxBatchSize, texts, threads, graphOptimization, ortCacheDir);
  }

  public EmbedSpec withThreads(int n) {
    return new EmbedSpec(model, promptName, prompt, dimensions, normalize, chunkLongInput, batchTokens, maxBatchSize, blockSize, n, graphOptimization, ortCacheDir);
  }

  public EmbedSpec withGraphOptimization(String level) {
    return new EmbedSpec(model, promptName, prompt, dimensions, normalize, chunkLongInput, batchTokens, maxBatchSize, blockSize, threads, level, ortCacheDir);
  }

  public EmbedSpec withOrtCacheDir(String dir) {
    return new EmbedSpec(model, promptName, prompt, dimensions, normalize, chunkLongInput, batchTokens, maxBatchSize, blockSize, threads, graphOptimization, dir);
  }
}

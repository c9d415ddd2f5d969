package io.embed4j.encode;

/**
 * How to encode. Build from {@link #defaults()} and the {@code with*} methods.
 *
 * @param promptName name of one of the model's prompts, or null
 * @param prompt raw prompt text prepended to every input, or null (wins over promptName)
 * @param dimensions keep the first N dimensions (Matryoshka); 0 keeps all
 * @param normalize L2-normalize the output; null follows the model (its Normalize module)
 * @param longInput truncate (default) or chunk long inputs
 * @param chunkOverlap tokens shared by neighbouring windows in {@link LongInputMode#CHUNK}
 * @param batchTokens padded tokens per inference batch (batch size x longest sequence)
 * @param maxBatchSize texts per inference batch at most
 */
public record EncodeOptions(
    String promptName,
    String prompt,
    int dimensions,
    Boolean normalize,
    LongInputMode longInput,
    int chunkOverlap,
    int batchTokens,
    int maxBatchSize) {

  public static final int DEFAULT_BATCH_TOKENS = 2048;
  public static final int DEFAULT_MAX_BATCH_SIZE = 32;

  public EncodeOptions {
    if (dimensions < 0) {
      throw new IllegalArgumentException("dimensions must be >= 0 (0 = all), got " + dimensions);
    }
    if (chunkOverlap < 0) {
      throw new IllegalArgumentException("chunk overlap must be >= 0, got " + chunkOverlap);
    }
    if (batchTokens < 1) {
      throw new IllegalArgumentException("batch tokens must be >= 1, got " + batchTokens);
    }
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("max batch size must be >= 1, got " + maxBatchSize);
    }
    if (longInput == null) {
      longInput = LongInputMode.TRUNCATE;
    }
  }

  public static EncodeOptions defaults() {
    return new EncodeOptions(null, null, 0, null, LongInputMode.TRUNCATE, 32, DEFAULT_BATCH_TOKENS, DEFAULT_MAX_BATCH_SIZE);
  }

  public EncodeOptions withPromptName(String name) {
    return new EncodeOptions(name, prompt, dimensions, normalize, longInput, chunkOverlap, batchTokens, maxBatchSize);
  }

  public EncodeOptions withPrompt(String text) {
    return new EncodeOptions(promptName, text, dimensions, normalize, longInput, chunkOverlap, batchTokens, maxBatchSize);
  }

  public EncodeOptions withDimensions(int n) {
    return new EncodeOptions(promptName, prompt, n, normalize, longInput, chunkOverlap, batchTokens, maxBatchSize);
  }

  public EncodeOptions withNormalize(Boolean on) {
    return new EncodeOptions(promptName, prompt, dimensions, on, longInput, chunkOverlap, batchTokens, maxBatchSize);
  }

  public EncodeOptions withLongInput(LongInputMode mode, int overlap) {
    return new EncodeOptions(promptName, prompt, dimensions, normalize, mode, overlap, batchTokens, maxBatchSize);
  }

  public EncodeOptions withBatching(int tokens, int maxSize) {
    return new EncodeOptions(promptName, prompt, dimensions, normalize, longInput, chunkOverlap, tokens, maxSize);
  }
}

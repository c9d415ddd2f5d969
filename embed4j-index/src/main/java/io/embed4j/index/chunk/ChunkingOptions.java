package io.embed4j.index.chunk;

/**
 * How big chunks are, in model tokens.
 *
 * @param maxTokens most tokens per chunk, its heading included (the encoder truncates beyond its limit)
 * @param overlapTokens at most this many tokens of whole sentences repeated from the end of the previous chunk
 */
public record ChunkingOptions(int maxTokens, int overlapTokens) {
  public static final int DEFAULT_MAX_TOKENS = 256;
  public static final int DEFAULT_OVERLAP_TOKENS = 32;

  public ChunkingOptions {
    if (maxTokens < 16) {
      throw new IllegalArgumentException("chunk size must be >= 16 tokens, got " + maxTokens);
    }
    if (overlapTokens < 0 || overlapTokens > maxTokens / 2) {
      throw new IllegalArgumentException("chunk overlap must be in 0.." + maxTokens / 2 + " tokens (half the chunk size), got " + overlapTokens);
    }
  }

  public static ChunkingOptions defaults() {
    return new ChunkingOptions(DEFAULT_MAX_TOKENS, DEFAULT_OVERLAP_TOKENS);
  }

  /** These options with the chunk size capped to what the model reads: {@code maxSeqLength} minus special tokens and prompt. */
  public ChunkingOptions fitTo(int modelTokens) {
    int cap = Math.max(16, modelTokens);
    return maxTokens <= cap ? this : new ChunkingOptions(cap, Math.min(overlapTokens, cap / 2));
  }
}

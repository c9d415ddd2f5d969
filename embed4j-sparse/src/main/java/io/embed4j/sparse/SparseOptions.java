package io.embed4j.sparse;

/**
 * How one side (queries or documents) is encoded and pruned.
 *
 * @param maxLength tokens per text at most, special tokens included; 0 keeps the model's
 * @param maxActiveDims keep only the largest this many entries (top-k); 0 keeps all
 * @param threshold drop entries whose weight is not above this (>= 0; 0 drops only zeros)
 * @param prompt text prepended to every input, or "" for none
 */
public record SparseOptions(int maxLength, int maxActiveDims, float threshold, String prompt) {
  public SparseOptions {
    if (maxLength < 0) {
      throw new IllegalArgumentException("max length must be >= 0 (0 = the model's), got " + maxLength);
    }
    if (maxActiveDims < 0) {
      throw new IllegalArgumentException("max active dims must be >= 0 (0 = all), got " + maxActiveDims);
    }
    if (!(threshold >= 0) || Float.isInfinite(threshold)) {
      throw new IllegalArgumentException("threshold must be a finite value >= 0, got " + threshold);
    }
    if (prompt == null) {
      prompt = "";
    }
  }

  /** No pruning beyond dropping zeros, the model's max length, no prompt. */
  public static SparseOptions defaults() {
    return new SparseOptions(0, 0, 0f, "");
  }

  public SparseOptions withMaxLength(int length) {
    return new SparseOptions(length, maxActiveDims, threshold, prompt);
  }

  public SparseOptions withMaxActiveDims(int k) {
    return new SparseOptions(maxLength, k, threshold, prompt);
  }

  public SparseOptions withThreshold(float t) {
    return new SparseOptions(maxLength, maxActiveDims, t, prompt);
  }

  public SparseOptions withPrompt(String p) {
    return new SparseOptions(maxLength, maxActiveDims, threshold, p);
  }
}

package io.embed4j.pooling;

import java.util.List;

/**
 * Pools token embeddings into one sentence embedding, as sentence-transformers' Pooling module does.
 * Several modes concatenate in {@link PoolingMode} order. Only positions whose attention mask is 1
 * take part; {@code firstPooledToken} lets a prompt's tokens be left out (include_prompt=false).
 */
public final class Pooling {
  private final List<PoolingMode> modes;

  public Pooling(List<PoolingMode> modes) {
    if (modes.isEmpty()) {
      throw new IllegalArgumentException("pooling needs at least one mode");
    }
    this.modes = modes.stream().sorted().distinct().toList();
  }

  public List<PoolingMode> modes() {
    return modes;
  }

  public int outputDimensions(int hidden) {
    return hidden * modes.size();
  }

  /**
   * Pools one sequence of the batch.
   *
   * @param tokens row-major [batch, seqLen, hidden] token embeddings
   * @param row which sequence of the batch
   * @param seqLen padded sequence length of the batch
   * @param hidden width of a token embedding
   * @param length number of real (unpadded) tokens of this sequence; padding is always at the end
   * @param firstPooledToken index of the first token to pool (0 normally; after the prompt otherwise)
   */
  public float[] pool(float[] tokens, int row, int seqLen, int hidden, int length, int firstPooledToken) {
    float[] out = new float[outputDimensions(hidden)];
    int base = row * seqLen * hidden;
    int start = Math.min(firstPooledToken, Math.max(length - 1, 0));
    int offset = 0;
    for (PoolingMode mode : modes) {
      switch (mode) {
        case CLS -> System.arraycopy(tokens, base, out, offset, hidden);
        case LAST_TOKEN -> System.arraycopy(tokens, base + (Math.max(length, 1) - 1) * hidden, out, offset, hidden);
        case MAX -> {
          // sentence-transformers fills masked positions with -1e9 before max; an all-masked row gives -1e9.
          java.util.Arrays.fill(out, offset, offset + hidden, length > start ? Float.NEGATIVE_INFINITY : -1e9f);
          for (int t = start; t < length; t++) {
            int p = base + t * hidden;
            for (int h = 0; h < hidden; h++) {
              out[offset + h] = Math.max(out[offset + h], tokens[p + h]);
            }
          }
        }
        case MEAN, MEAN_SQRT_LEN_TOKENS -> {
          for (int t = start; t < length; t++) {
            int p = base + t * hidden;
            for (int h = 0; h < hidden; h++) {
              out[offset + h] += tokens[p + h];
            }
          }
          // Clamp the count at 1e-9 as sentence-transformers does, so an empty mask yields zeros.
          float count = Math.max(length - start, 1e-9f);
          float divisor = mode == PoolingMode.MEAN ? count : (float) Math.sqrt(count);
          for (int h = 0; h < hidden; h++) {
            out[offset + h] /= divisor;
          }
        }
        case WEIGHTED_MEAN -> {
          // Weights are positions 1..n, later tokens counting more (SGPT-style weighted mean).
          float weightSum = 0f;
          for (int t = start; t < length; t++) {
            float w = t + 1;
            weightSum += w;
            int p = base + t * hidden;
            for (int h = 0; h < hidden; h++) {
              out[offset + h] += w * tokens[p + h];
            }
          }
          float divisor = Math.max(weightSum, 1e-9f);
          for (int h = 0; h < hidden; h++) {
            out[offset + h] /= divisor;
          }
        }
      }
      offset += hidden;
    }
    return out;
  }

  @Override
  public String toString() {
    return "Pooling" + modes.stream().map(PoolingMode::configName).toList();
  }
}

package io.embed4j.eval;

import io.embed4j.encode.Precision;
import io.embed4j.vector.VectorMath;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One setting of a sweep: keep the first {@code dimensions} of each embedding (Matryoshka), then
 * store it at {@code precision}. Every variant is derived from one full-width encoding pass.
 *
 * <p>How each precision is scored (see docs/evaluation.md):
 * <ul>
 *   <li>float32: the model's similarity function on the truncated, re-normalized floats.
 *   <li>int8 / uint8: sentence-transformers' {@code quantize_embeddings} with per-dimension ranges
 *       calibrated on the corpus (retrieval) or on all sentences (STS); the similarity function is
 *       then applied to the integer values, as sentence-transformers' evaluators do.
 *   <li>binary / ubinary: sign bits; similarity {@code 1 - 2 * hamming / dimensions} (the cosine of
 *       the ±1 vectors), the hamming ranking faiss' binary index and usearch give.
 * </ul>
 *
 * @param dimensions leading dimensions kept (1 to the model's width)
 * @param precision storage precision
 */
public record VectorVariant(int dimensions, Precision precision) {
  public VectorVariant {
    if (dimensions < 1) {
      throw new IllegalArgumentException("dimensions must be >= 1, got " + dimensions);
    }
    if (precision == null) {
      throw new IllegalArgumentException("precision is required");
    }
  }

  /** Every combination, dimensions outer, precision inner, in the given orders. */
  public static List<VectorVariant> grid(List<Integer> dimensions, List<Precision> precisions) {
    List<VectorVariant> out = new ArrayList<>();
    for (int d : dimensions) {
      for (Precision p : precisions) {
        out.add(new VectorVariant(d, p));
      }
    }
    return out;
  }

  public boolean isBinary() {
    return precision == Precision.BINARY || precision == Precision.UBINARY;
  }

  public int bytesPerVector() {
    return precision.bytesPerVector(dimensions);
  }

  /** For tables and keys: {@code 384d float32}. */
  public String label() {
    return dimensions + "d " + precision.configName();
  }

  /** Key prefix for flat result maps: {@code 384d_float32}. */
  public String key() {
    return String.format(Locale.ROOT, "%dd_%s", dimensions, precision.configName());
  }

  /**
   * The first {@code dimensions} of each vector, re-normalized when {@code normalize} (as
   * sentence-transformers' {@code truncate_dim} followed by its Normalize module). Returns the input
   * itself when nothing changes.
   */
  public float[][] truncate(float[][] full, boolean normalize) {
    if (full.length == 0 || full[0].length == dimensions) {
      return full;
    }
    if (full[0].length < dimensions) {
      throw new IllegalArgumentException("cannot keep " + dimensions + " dimensions of " + full[0].length + "-d embeddings");
    }
    float[][] out = new float[full.length][];
    for (int i = 0; i < full.length; i++) {
      out[i] = java.util.Arrays.copyOf(full[i], dimensions);
      if (normalize) {
        VectorMath.normalizeInPlace(out[i]);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return label();
  }
}

package io.embed4j.eval.retrieval;

import io.embed4j.encode.Precision;
import io.embed4j.encode.Quantizer;

/** Integer and bit views of quantized embeddings, for scoring them the way sentence-transformers does. */
public final class QuantizedVectors {
  private QuantizedVectors() {}

  /** int8/uint8 codes as the integers sentence-transformers holds (signed or unsigned), in floats. */
  public static float[][] integerValues(float[][] vectors, Precision precision, float[][] ranges) {
    if (precision != Precision.INT8 && precision != Precision.UINT8) {
      throw new IllegalArgumentException("integer values need int8 or uint8, got " + precision.configName());
    }
    byte[][] q = Quantizer.quantize(vectors, precision, ranges);
    float[][] out = new float[q.length][];
    for (int i = 0; i < q.length; i++) {
      out[i] = new float[q[i].length];
      for (int j = 0; j < q[i].length; j++) {
        out[i][j] = Quantizer.valueOf(q[i][j], precision);
      }
    }
    return out;
  }

  /** Sign bits ({@code x > 0}, as {@code quantize_embeddings}), packed 64 to a long. */
  public static long[] bits(float[] v) {
    long[] out = new long[(v.length + 63) / 64];
    for (int i = 0; i < v.length; i++) {
      if (v[i] > 0) {
        out[i >> 6] |= 1L << (i & 63);
      }
    }
    return out;
  }

  public static int hamming(long[] a, long[] b) {
    int h = 0;
    for (int i = 0; i < a.length; i++) {
      h += Long.bitCount(a[i] ^ b[i]);
    }
    return h;
  }

  /** {@code 1 - 2 * hamming / dimensions}: the cosine of the ±1 sign vectors, in [-1, 1]. */
  public static float hammingSimilarity(long[] a, long[] b, int dimensions) {
    return 1f - 2f * hamming(a, b) / dimensions;
  }
}

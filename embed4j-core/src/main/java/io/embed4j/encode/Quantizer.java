package io.embed4j.encode;

/**
 * Quantizes float embeddings as sentence-transformers' {@code quantize_embeddings} does.
 * <ul>
 *   <li>int8/uint8: per dimension, {@code (x - min) / ((max - min) / 255)}, minus 128 for int8, cast
 *       toward zero; the ranges come from calibration embeddings, or else from the embeddings
 *       themselves. Values outside the calibration range are clamped (numpy would wrap them).
 *   <li>binary/ubinary: bit {@code x > 0}, packed 8 per byte with the first dimension in the high
 *       bit (numpy.packbits); binary stores {@code byte - 128} as signed, ubinary the raw byte.
 * </ul>
 */
public final class Quantizer {
  private Quantizer() {}

  /** Per-dimension [min, max] ranges: {@code ranges[0]} minima, {@code ranges[1]} maxima. */
  public static float[][] ranges(float[][] calibration) {
    if (calibration.length == 0) {
      throw new IllegalArgumentException("calibration needs at least one embedding");
    }
    int d = calibration[0].length;
    float[][] r = new float[2][d];
    java.util.Arrays.fill(r[0], Float.POSITIVE_INFINITY);
    java.util.Arrays.fill(r[1], Float.NEGATIVE_INFINITY);
    for (float[] v : calibration) {
      for (int i = 0; i < d; i++) {
        r[0][i] = Math.min(r[0][i], v[i]);
        r[1][i] = Math.max(r[1][i], v[i]);
      }
    }
    return r;
  }

  /**
   * Quantizes {@code embeddings}; returns one byte array per vector (signed for int8/binary, to be
   * read unsigned for uint8/ubinary). {@code ranges} may be null to use the embeddings' own.
   */
  public static byte[][] quantize(float[][] embeddings, Precision precision, float[][] ranges) {
    return switch (precision) {
      case FLOAT32 -> throw new IllegalArgumentException("float32 needs no quantization");
      case INT8, UINT8 -> scalar(embeddings, precision == Precision.INT8, ranges == null && embeddings.length > 0 ? ranges(embeddings) : ranges);
      case BINARY, UBINARY -> binary(embeddings, precision == Precision.BINARY);
    };
  }

  private static byte[][] scalar(float[][] embeddings, boolean signed, float[][] ranges) {
    byte[][] out = new byte[embeddings.length][];
    for (int r = 0; r < embeddings.length; r++) {
      float[] v = embeddings[r];
      byte[] q = new byte[v.length];
      for (int i = 0; i < v.length; i++) {
        float start = ranges[0][i];
        float step = (ranges[1][i] - ranges[0][i]) / 255f;
        float scaled = step == 0f ? 0f : (v[i] - start) / step;
        if (signed) {
          scaled -= 128f;
          q[i] = (byte) Math.max(-128, Math.min(127, (int) scaled));
        } else {
          q[i] = (byte) Math.max(0, Math.min(255, (int) scaled));
        }
      }
      out[r] = q;
    }
    return out;
  }

  private static byte[][] binary(float[][] embeddings, boolean signed) {
    byte[][] out = new byte[embeddings.length][];
    for (int r = 0; r < embeddings.length; r++) {
      float[] v = embeddings[r];
      byte[] packed = new byte[(v.length + 7) / 8];
      for (int i = 0; i < v.length; i++) {
        if (v[i] > 0) {
          packed[i >> 3] |= (byte) (0x80 >>> (i & 7));
        }
      }
      if (signed) {
        for (int i = 0; i < packed.length; i++) {
          packed[i] = (byte) ((packed[i] & 0xff) - 128);
        }
      }
      out[r] = packed;
    }
    return out;
  }

  /** A byte as the integer sentence-transformers would print: signed for int8/binary, unsigned otherwise. */
  public static int valueOf(byte b, Precision precision) {
    return precision == Precision.UINT8 || precision == Precision.UBINARY ? b & 0xff : b;
  }
}

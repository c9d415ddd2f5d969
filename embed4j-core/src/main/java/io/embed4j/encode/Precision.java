package io.embed4j.encode;

import java.util.Arrays;
import java.util.Locale;

/** Output precision, with sentence-transformers' {@code quantize_embeddings} semantics. */
public enum Precision {
  FLOAT32, INT8, UINT8, BINARY, UBINARY;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Bytes one vector of {@code dimensions} takes at this precision. */
  public int bytesPerVector(int dimensions) {
    return switch (this) {
      case FLOAT32 -> 4 * dimensions;
      case INT8, UINT8 -> dimensions;
      case BINARY, UBINARY -> (dimensions + 7) / 8;
    };
  }

  public static Precision fromName(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown precision '" + name + "'; valid: "
          + Arrays.stream(values()).map(Precision::configName).toList());
    }
  }
}

package io.embed4j.index.store;

import io.embed4j.Embed4jException;
import java.util.Arrays;
import java.util.Locale;

/**
 * How the HNSW graph stores vectors. Quantized encodings keep the float32 vectors on disk too:
 * the graph is searched on the small codes and the best candidates are rescored at full precision.
 */
public enum VectorEncoding {
  FLOAT32("float32", 1),
  /** 8 bits a dimension (Lucene's optimized scalar quantization). */
  INT8("int8", 2),
  /** 4 bits a dimension. */
  INT4("int4", 3),
  /** 1 bit a dimension, queries at 4 bits (asymmetric). */
  BINARY("binary", 5);

  private final String cliName;
  private final int oversample;

  VectorEncoding(String cliName, int oversample) {
    this.cliName = cliName;
    this.oversample = oversample;
  }

  public String cliName() {
    return cliName;
  }

  /** Candidates gathered on the codes per result kept after full-precision rescoring. */
  public int oversample() {
    return oversample;
  }

  public static VectorEncoding parse(String name) {
    for (VectorEncoding e : values()) {
      if (e.cliName.equals(name.trim().toLowerCase(Locale.ROOT))) {
        return e;
      }
    }
    throw new Embed4jException.InvalidInput("unknown vector encoding '" + name + "'; valid: "
        + String.join(", ", Arrays.stream(values()).map(VectorEncoding::cliName).toList()));
  }
}

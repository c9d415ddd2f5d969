package io.embed4j.vector;

import java.util.Arrays;
import java.util.Locale;

/**
 * How two embeddings are compared. Higher is always more similar: distances are negated, as
 * sentence-transformers does for {@code euclidean} and {@code manhattan}.
 */
public enum SimilarityFunction {
  COSINE("cosine") {
    @Override
    public float compare(float[] a, float[] b) {
      return VectorMath.cosine(a, b);
    }
  },
  DOT("dot") {
    @Override
    public float compare(float[] a, float[] b) {
      return VectorMath.dot(a, b);
    }
  },
  EUCLIDEAN("euclidean") {
    @Override
    public float compare(float[] a, float[] b) {
      return -(float) Math.sqrt(VectorMath.squareDistance(a, b));
    }
  },
  MANHATTAN("manhattan") {
    @Override
    public float compare(float[] a, float[] b) {
      return -VectorMath.manhattanDistance(a, b);
    }
  };

  private final String configName;

  SimilarityFunction(String configName) {
    this.configName = configName;
  }

  /** The name used by sentence-transformers' {@code similarity_fn_name}. */
  public String configName() {
    return configName;
  }

  /** Similarity of two vectors of equal length; higher means more similar. */
  public abstract float compare(float[] a, float[] b);

  /** Pairwise similarity: {@code result[i] = compare(a[i], b[i])}. */
  public float[] pairwise(float[][] a, float[][] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("pairwise needs lists of equal size: " + a.length + " != " + b.length);
    }
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = compare(a[i], b[i]);
    }
    return out;
  }

  /** Similarity matrix: {@code result[i][j] = compare(a[i], b[j])}. */
  public float[][] matrix(float[][] a, float[][] b) {
    float[][] out = new float[a.length][b.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        out[i][j] = compare(a[i], b[j]);
      }
    }
    return out;
  }

  /** Parses sentence-transformers' names (cosine, dot, dot_product, euclidean, manhattan). */
  public static SimilarityFunction fromName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("dot_product") || n.equals("dot_score")) {
      return DOT;
    }
    if (n.equals("cos_sim")) {
      return COSINE;
    }
    for (SimilarityFunction f : values()) {
      if (f.configName.equals(n)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown similarity function '" + name + "'; known: " + Arrays.toString(values()).toLowerCase(Locale.ROOT));
  }
}

package io.embed4j.vector;

import java.util.logging.Logger;

/**
 * Vector arithmetic entry point. Methods check their arguments, then delegate to kernels chosen
 * once: the JDK Vector API when the {@code jdk.incubator.vector} module is present (the launcher
 * adds it), plain Java otherwise. Set {@code -Dembed4j.simd=false} to force plain Java.
 */
public final class VectorMath {
  private static final Logger LOG = Logger.getLogger(VectorMath.class.getName());
  static final VectorKernels IMPL = chooseKernels();

  private VectorMath() {}

  private static VectorKernels chooseKernels() {
    if (!Boolean.parseBoolean(System.getProperty("embed4j.simd", "true"))) {
      LOG.fine("SIMD disabled by -Dembed4j.simd=false; using plain Java vector kernels");
      return new ScalarVectorKernels();
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      LOG.fine("jdk.incubator.vector is not enabled (--add-modules jdk.incubator.vector); using plain Java vector kernels");
      return new ScalarVectorKernels();
    }
    try {
      return (VectorKernels) Class.forName("io.embed4j.vector.PanamaVectorKernels").getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      LOG.fine("Vector API kernels unavailable (" + e + "); using plain Java vector kernels");
      return new ScalarVectorKernels();
    }
  }

  /** Name of the kernels in use ("panama" or "scalar"), for diagnostics and benchmarks. */
  public static String implementation() {
    return IMPL instanceof ScalarVectorKernels ? "scalar" : "panama";
  }

  public static float dot(float[] a, float[] b) {
    checkSameLength(a, b);
    return IMPL.dot(a, 0, b, 0, a.length);
  }

  /** Dot product of {@code a} with {@code length} floats of {@code matrix} starting at {@code offset}. */
  public static float dot(float[] a, float[] matrix, int offset) {
    if (offset < 0 || offset + a.length > matrix.length) {
      throw new IllegalArgumentException("row at offset " + offset + " of length " + a.length + " exceeds matrix of " + matrix.length);
    }
    return IMPL.dot(a, 0, matrix, offset, a.length);
  }

  public static float cosine(float[] a, float[] b) {
    checkSameLength(a, b);
    float ab = IMPL.dot(a, 0, b, 0, a.length);
    float aa = IMPL.dot(a, 0, a, 0, a.length);
    float bb = IMPL.dot(b, 0, b, 0, b.length);
    double denominator = Math.sqrt((double) aa * bb);
    // sentence-transformers clamps the norm to 1e-8 the same way, so zero vectors compare as 0.
    return (float) (ab / Math.max(denominator, 1e-8));
  }

  public static float squareDistance(float[] a, float[] b) {
    checkSameLength(a, b);
    return IMPL.squareDistance(a, b);
  }

  public static float manhattanDistance(float[] a, float[] b) {
    checkSameLength(a, b);
    return IMPL.manhattanDistance(a, b);
  }

  public static float norm(float[] a) {
    return (float) Math.sqrt(IMPL.dot(a, 0, a, 0, a.length));
  }

  /** Scales {@code a} in place to unit L2 norm; a zero vector stays zero (norm clamped at 1e-12 like torch). */
  public static float[] normalizeInPlace(float[] a) {
    float norm = norm(a);
    float scale = 1f / Math.max(norm, 1e-12f);
    for (int i = 0; i < a.length; i++) {
      a[i] *= scale;
    }
    return a;
  }

  private static void checkSameLength(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("vector dimensions differ: " + a.length + " != " + b.length);
    }
  }
}

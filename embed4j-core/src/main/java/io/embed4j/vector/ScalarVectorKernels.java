package io.embed4j.vector;

/** Plain-Java kernels: the reference that the SIMD version is tested against, and the fallback. */
final class ScalarVectorKernels implements VectorKernels {
  @Override
  public float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
    float sum = 0f;
    for (int i = 0; i < length; i++) {
      sum = Math.fma(a[aOffset + i], b[bOffset + i], sum);
    }
    return sum;
  }

  @Override
  public float squareDistance(float[] a, float[] b) {
    float sum = 0f;
    for (int i = 0; i < a.length; i++) {
      float d = a[i] - b[i];
      sum = Math.fma(d, d, sum);
    }
    return sum;
  }

  @Override
  public float manhattanDistance(float[] a, float[] b) {
    float sum = 0f;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs(a[i] - b[i]);
    }
    return sum;
  }
}

package io.embed4j.vector;

/** The primitive vector kernels; {@link VectorMath} picks one implementation once. */
interface VectorKernels {
  float dot(float[] a, int aOffset, float[] b, int bOffset, int length);

  float squareDistance(float[] a, float[] b);

  float manhattanDistance(float[] a, float[] b);
}

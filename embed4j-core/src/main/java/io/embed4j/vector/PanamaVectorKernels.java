package io.embed4j.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * JDK Vector API kernels: a vector body and a scalar tail. Loaded by reflection only when the
 * {@code jdk.incubator.vector} module is present, so the class never links without it.
 */
final class PanamaVectorKernels implements VectorKernels {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private final ScalarVectorKernels tail = new ScalarVectorKernels();

  @Override
  public float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
    int upper = SPECIES.loopBound(length);
    FloatVector acc = FloatVector.zero(SPECIES);
    int i = 0;
    for (; i < upper; i += SPECIES.length()) {
      FloatVector va = FloatVector.fromArray(SPECIES, a, aOffset + i);
      FloatVector vb = FloatVector.fromArray(SPECIES, b, bOffset + i);
      acc = va.fma(vb, acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    return sum + tail.dot(a, aOffset + i, b, bOffset + i, length - i);
  }

  @Override
  public float squareDistance(float[] a, float[] b) {
    int upper = SPECIES.loopBound(a.length);
    FloatVector acc = FloatVector.zero(SPECIES);
    int i = 0;
    for (; i < upper; i += SPECIES.length()) {
      FloatVector d = FloatVector.fromArray(SPECIES, a, i).sub(FloatVector.fromArray(SPECIES, b, i));
      acc = d.fma(d, acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < a.length; i++) {
      float d = a[i] - b[i];
      sum = Math.fma(d, d, sum);
    }
    return sum;
  }

  @Override
  public float manhattanDistance(float[] a, float[] b) {
    int upper = SPECIES.loopBound(a.length);
    FloatVector acc = FloatVector.zero(SPECIES);
    int i = 0;
    for (; i < upper; i += SPECIES.length()) {
      acc = acc.add(FloatVector.fromArray(SPECIES, a, i).sub(FloatVector.fromArray(SPECIES, b, i)).abs());
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < a.length; i++) {
      sum += Math.abs(a[i] - b[i]);
    }
    return sum;
  }
}

package io.embed4j.modules;

import io.embed4j.vector.VectorMath;

/** L2 normalization, as sentence-transformers' Normalize module. */
public final class Normalize implements VectorModule {
  @Override
  public float[] apply(float[] embedding) {
    return VectorMath.normalizeInPlace(embedding);
  }

  @Override
  public int outputDimensions(int inputDimensions) {
    return inputDimensions;
  }

  @Override
  public String toString() {
    return "Normalize";
  }
}

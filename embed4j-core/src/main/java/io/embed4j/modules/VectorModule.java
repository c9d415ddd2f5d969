package io.embed4j.modules;

/** A sentence-level module after pooling (Dense, Normalize): maps one embedding to another. */
public interface VectorModule {
  float[] apply(float[] embedding);

  /** Output width for a given input width. */
  int outputDimensions(int inputDimensions);
}

package io.embed4j.train.loss;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Matryoshka representation learning: the wrapped loss applied to the first {@code d} dimensions of
 * every column for each d of a list, weighted and summed, so truncated embeddings stay useful.
 * Weights default to 1 for every dimension, as sentence-transformers' MatryoshkaLoss.
 */
public final class MatryoshkaLoss implements EmbeddingLoss {
  private final EmbeddingLoss inner;
  private final int[] dimensions;
  private final double[] weights;

  public MatryoshkaLoss(EmbeddingLoss inner, int[] dimensions, double[] weights) {
    if (dimensions.length == 0) {
      throw new IllegalArgumentException("Matryoshka needs at least one dimension");
    }
    if (weights.length != dimensions.length) {
      throw new IllegalArgumentException("Matryoshka needs one weight per dimension: " + dimensions.length + " dimensions, "
          + weights.length + " weights");
    }
    for (int d : dimensions) {
      if (d <= 0) {
        throw new IllegalArgumentException("Matryoshka dimensions must be > 0, got " + d);
      }
    }
    this.inner = inner;
    this.dimensions = dimensions.clone();
    this.weights = weights.clone();
  }

  public MatryoshkaLoss(EmbeddingLoss inner, int... dimensions) {
    this(inner, dimensions, ones(dimensions.length));
  }

  private static double[] ones(int n) {
    double[] w = new double[n];
    java.util.Arrays.fill(w, 1.0);
    return w;
  }

  public int[] dimensions() {
    return dimensions.clone();
  }

  @Override
  public NDArray compute(List<NDArray> columns, NDArray labels) {
    long width = columns.get(0).getShape().get(1);
    NDArray total = null;
    for (int i = 0; i < dimensions.length; i++) {
      if (dimensions[i] > width) {
        throw new IllegalArgumentException("Matryoshka dimension " + dimensions[i] + " exceeds the embedding width " + width);
      }
      List<NDArray> truncated = new ArrayList<>(columns.size());
      for (NDArray c : columns) {
        truncated.add(dimensions[i] == width ? c : c.get(":, :" + dimensions[i]));
      }
      NDArray l = inner.compute(truncated, labels).mul(weights[i]);
      total = total == null ? l : total.add(l);
    }
    return total;
  }

  @Override
  public int minColumns() {
    return inner.minColumns();
  }

  @Override
  public boolean needsLabels() {
    return inner.needsLabels();
  }

  @Override
  public String name() {
    return "matryoshka(" + inner.name() + ")";
  }

  @Override
  public String toString() {
    return "MatryoshkaLoss[" + inner + ", dimensions=" + java.util.Arrays.toString(dimensions) + "]";
  }
}

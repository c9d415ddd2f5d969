package io.embed4j.train.loss;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Triplet loss: {@code max(0, d(a, p) − d(a, n) + margin)}, averaged, with Euclidean distance
 * {@code ||a − p + 1e-6||} as torch's pairwise_distance (sentence-transformers' defaults: Euclidean,
 * margin 5). Columns: anchor, positive, negative.
 */
public final class TripletLoss implements EmbeddingLoss {
  private final double margin;

  public TripletLoss(double margin) {
    if (!(margin >= 0)) {
      throw new IllegalArgumentException("margin must be >= 0, got " + margin);
    }
    this.margin = margin;
  }

  public TripletLoss() {
    this(5.0);
  }

  private static NDArray distance(NDArray a, NDArray b) {
    return a.sub(b).add(1e-6).square().sum(new int[] {-1}).sqrt();
  }

  @Override
  public NDArray compute(List<NDArray> columns, NDArray labels) {
    NDArray a = columns.get(0);
    return distance(a, columns.get(1)).sub(distance(a, columns.get(2))).add(margin).maximum(0).mean();
  }

  @Override
  public int minColumns() {
    return 3;
  }

  @Override
  public String name() {
    return "triplet";
  }

  @Override
  public String toString() {
    return "TripletLoss[margin=" + margin + "]";
  }
}

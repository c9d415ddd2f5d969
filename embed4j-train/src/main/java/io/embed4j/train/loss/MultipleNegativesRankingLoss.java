package io.embed4j.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.List;

/**
 * InfoNCE with in-batch negatives (sentence-transformers' MultipleNegativesRankingLoss): for anchor
 * i, positive i is the right answer among all positives of the batch plus every hard-negative
 * column; the loss is the cross-entropy of {@code scale · cos(anchor, candidates)}.
 *
 * <p>Columns: anchor, positive, then any number of negative columns. Labels: none. With
 * {@code symmetric}, the positive-to-anchor direction is added and the two halves averaged
 * (MultipleNegativesSymmetricRankingLoss). Scale 20 is temperature 0.05.
 */
public final class MultipleNegativesRankingLoss implements EmbeddingLoss {
  private final double scale;
  private final boolean symmetric;

  public MultipleNegativesRankingLoss(double scale, boolean symmetric) {
    if (!(scale > 0)) {
      throw new IllegalArgumentException("scale must be > 0, got " + scale);
    }
    this.scale = scale;
    this.symmetric = symmetric;
  }

  public MultipleNegativesRankingLoss() {
    this(20.0, false);
  }

  @Override
  public NDArray compute(List<NDArray> columns, NDArray labels) {
    if (columns.size() < 2) {
      throw new IllegalArgumentException("MNRL needs anchor and positive columns, got " + columns.size());
    }
    NDArray anchors = columns.get(0);
    long n = anchors.getShape().get(0);
    NDArray candidates = columns.size() == 2 ? columns.get(1) : NDArrays.concat(new NDList(columns.subList(1, columns.size())), 0);
    NDArray scores = Similarity.cosineMatrix(anchors, candidates).mul(scale); // [n, n * (columns - 1)]
    NDArray target = anchors.getManager().eye((int) n, (int) scores.getShape().get(1), 0, scores.getDataType());
    NDArray forward = scores.logSoftmax(1).mul(target).sum().neg().div(n);
    if (!symmetric) {
      return forward;
    }
    NDArray square = scores.get(":, :" + n).transpose(); // positive i against all anchors
    NDArray eye = anchors.getManager().eye((int) n, (int) n, 0, scores.getDataType());
    NDArray backward = square.logSoftmax(1).mul(eye).sum().neg().div(n);
    return forward.add(backward).div(2);
  }

  @Override
  public int minColumns() {
    return 2;
  }

  @Override
  public String name() {
    return symmetric ? "mnrl-symmetric" : "mnrl";
  }

  @Override
  public String toString() {
    return "MultipleNegativesRankingLoss[scale=" + scale + ", symmetric=" + symmetric + "]";
  }
}

package io.embed4j.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.List;

/**
 * CoSENT for scored pairs: for every two pairs (i, j) whose gold scores order them
 * {@code score_i < score_j}, the cosine of pair i should be below that of pair j;
 * {@code loss = log(1 + Σ exp(scale·(cos_i − cos_j)))} over those (i, j).
 *
 * <p>Columns: sentence1, sentence2. Labels: the gold similarity (any monotone scale). Scale 20.
 */
public final class CoSENTLoss implements EmbeddingLoss {
  private final double scale;

  public CoSENTLoss(double scale) {
    if (!(scale > 0)) {
      throw new IllegalArgumentException("scale must be > 0, got " + scale);
    }
    this.scale = scale;
  }

  public CoSENTLoss() {
    this(20.0);
  }

  @Override
  public NDArray compute(List<NDArray> columns, NDArray labels) {
    if (labels == null) {
      throw new IllegalArgumentException("CoSENT needs a score per pair");
    }
    NDArray s = Similarity.pairwiseCosine(columns.get(0), columns.get(1)).mul(scale);
    NDArray diff = s.expandDims(1).sub(s.expandDims(0)); // [i, j] = s_i - s_j
    NDArray lab = labels.toType(s.getDataType(), false);
    NDArray ordered = lab.expandDims(1).lt(lab.expandDims(0)).toType(s.getDataType(), false); // score_i < score_j
    NDArray masked = diff.sub(ordered.neg().add(1).mul(1e12)).reshape(-1);
    NDArray withZero = NDArrays.concat(new NDList(s.getManager().zeros(new ai.djl.ndarray.types.Shape(1), s.getDataType()), masked), 0);
    return Similarity.logSumExp(withZero);
  }

  @Override
  public int minColumns() {
    return 2;
  }

  @Override
  public boolean needsLabels() {
    return true;
  }

  @Override
  public String name() {
    return "cosent";
  }

  @Override
  public String toString() {
    return "CoSENTLoss[scale=" + scale + "]";
  }
}

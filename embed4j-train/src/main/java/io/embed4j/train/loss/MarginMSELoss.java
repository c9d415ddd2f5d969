package io.embed4j.train.loss;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * MarginMSE distillation: the student's margin {@code dot(q, pos) − dot(q, neg)} regresses onto the
 * teacher's margin by mean squared error (sentence-transformers' MarginMSELoss, dot product).
 *
 * <p>Columns: query, positive, negative. Labels: the teacher's score margin per triplet.
 */
public final class MarginMSELoss implements EmbeddingLoss {
  @Override
  public NDArray compute(List<NDArray> columns, NDArray labels) {
    if (labels == null) {
      throw new IllegalArgumentException("MarginMSE needs the teacher's margin per triplet");
    }
    NDArray q = columns.get(0);
    NDArray margin = Similarity.pairwiseDot(q, columns.get(1)).sub(Similarity.pairwiseDot(q, columns.get(2)));
    return margin.sub(labels.toType(margin.getDataType(), false)).square().mean();
  }

  @Override
  public int minColumns() {
    return 3;
  }

  @Override
  public boolean needsLabels() {
    return true;
  }

  @Override
  public String name() {
    return "margin-mse";
  }

  @Override
  public String toString() {
    return "MarginMSELoss";
  }
}

package io.embed4j.train.loss;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A loss computed from embeddings: pure math, no model. The trainer embeds each text column of a
 * batch and passes the columns here, in the data's column order.
 */
public interface EmbeddingLoss {
  /**
   * The loss, a scalar.
   *
   * @param columns one [batch, dimensions] array per text column (e.g. anchor, positive, negatives...)
   * @param labels [batch] float labels (scores, teacher margins), or null when the data has none
   */
  NDArray compute(List<NDArray> columns, NDArray labels);

  /** Text columns the loss needs at least. */
  int minColumns();

  /** Whether the data must carry a numeric label per example. */
  default boolean needsLabels() {
    return false;
  }

  /** Short name, e.g. "mnrl". */
  String name();
}

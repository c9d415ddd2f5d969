package io.embed4j.train.data;

import java.util.List;

/**
 * One training example: its texts in column order (anchor, positive, negatives... or sentence1,
 * sentence2) and an optional numeric label (a score or a teacher margin; NaN when absent).
 */
public record TrainingExample(List<String> texts, double label) {
  public TrainingExample {
    texts = List.copyOf(texts);
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("an example needs at least one text");
    }
  }

  public TrainingExample(List<String> texts) {
    this(texts, Double.NaN);
  }

  public boolean hasLabel() {
    return !Double.isNaN(label);
  }
}

package io.embed4j.train.data;

import java.util.List;

/**
 * Training examples with their column names; every example has one text per column.
 *
 * @param source where the examples came from, for messages and reports
 * @param columns column names (anchor, positive, negative_1, ... or sentence1, sentence2)
 * @param examples the examples
 * @param labeled whether every example carries a label
 */
public record TrainingSet(String source, List<String> columns, List<TrainingExample> examples, boolean labeled) {
  public TrainingSet {
    columns = List.copyOf(columns);
    examples = List.copyOf(examples);
    for (int i = 0; i < examples.size(); i++) {
      if (examples.get(i).texts().size() != columns.size()) {
        throw new IllegalArgumentException(source + ": example " + i + " has " + examples.get(i).texts().size()
            + " texts, expected " + columns.size() + " " + columns);
      }
    }
  }

  public int size() {
    return examples.size();
  }

  /** The first {@code n} examples (or all). */
  public TrainingSet limit(int n) {
    return n >= examples.size() ? this : new TrainingSet(source, columns, examples.subList(0, n), labeled);
  }
}

package io.embed4j.train.cross;

import java.util.List;

/**
 * A query with scored documents to train a cross-encoder on: its positive first, then negatives.
 *
 * @param query the query (or first text)
 * @param documents the documents (second texts)
 * @param labels one target per document: 1 relevant, 0 not (a graded score in [0, 1] also works with binary cross-entropy)
 */
public record PairGroup(String query, List<String> documents, List<Float> labels) {
  public PairGroup {
    if (query == null || documents.isEmpty() || documents.size() != labels.size()) {
      throw new IllegalArgumentException("a pair group needs a query and one label per document, got "
          + documents.size() + " documents and " + labels.size() + " labels");
    }
    for (float l : labels) {
      if (!(l >= 0 && l <= 1)) {
        throw new IllegalArgumentException("labels must be in [0, 1], got " + l);
      }
    }
    documents = List.copyOf(documents);
    labels = List.copyOf(labels);
  }

  public int size() {
    return documents.size();
  }
}

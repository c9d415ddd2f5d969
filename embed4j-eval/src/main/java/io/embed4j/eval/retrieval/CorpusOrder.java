package io.embed4j.eval.retrieval;

import io.embed4j.eval.metrics.TrecOrder;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Row order for a corpus such that "lower row first" among equal scores is trec_eval's "larger id
 * first". Searching rows in this order makes a top-k cut keep exactly the documents a full
 * trec_eval sort would put first, ties at the boundary included.
 */
final class CorpusOrder {
  private CorpusOrder() {}

  /** {@code result[row]} = index into {@code ids} of the document stored at {@code row}; ids descending. */
  static int[] descendingIds(List<String> ids) {
    return IntStream.range(0, ids.size()).boxed()
        .sorted((a, b) -> TrecOrder.compareIds(ids.get(b), ids.get(a)))
        .mapToInt(Integer::intValue).toArray();
  }
}

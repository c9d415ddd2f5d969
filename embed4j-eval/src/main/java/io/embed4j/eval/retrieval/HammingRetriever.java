package io.embed4j.eval.retrieval;

import io.embed4j.eval.metrics.ScoredDoc;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Exact search over sign bits by hamming distance; scores are {@code 1 - 2 * hamming / dimensions}.
 * Hamming distances tie often, so rows are kept in descending id order and the top-k cut prefers the
 * lower row among equals, as a full trec_eval sort would.
 */
public final class HammingRetriever implements Retriever {
  private final String[] rowIds;
  private final long[][] rows;
  private final int dimensions;

  public HammingRetriever(List<String> docIds, float[][] docVectors) {
    if (docIds.size() != docVectors.length) {
      throw new IllegalArgumentException(docIds.size() + " ids but " + docVectors.length + " vectors");
    }
    int[] order = CorpusOrder.descendingIds(docIds);
    rowIds = new String[order.length];
    rows = new long[order.length][];
    dimensions = docVectors.length == 0 ? 0 : docVectors[0].length;
    for (int r = 0; r < order.length; r++) {
      rowIds[r] = docIds.get(order[r]);
      rows[r] = QuantizedVectors.bits(docVectors[order[r]]);
    }
  }

  @Override
  public List<ScoredDoc> search(float[] queryVector, String queryText, int k) {
    if (queryVector.length != dimensions) {
      throw new IllegalArgumentException("query has " + queryVector.length + " dimensions, corpus has " + dimensions);
    }
    long[] q = QuantizedVectors.bits(queryVector);
    // Min-heap of [distance-based score, row]: root is the weakest kept (lowest score, then highest row).
    PriorityQueue<int[]> heap = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Integer.compare(b[0], a[0]) : Integer.compare(b[1], a[1]));
    for (int r = 0; r < rows.length; r++) {
      int h = QuantizedVectors.hamming(q, rows[r]);
      if (heap.size() < k) {
        heap.add(new int[] {h, r});
      } else if (h < heap.peek()[0]) {
        heap.poll();
        heap.add(new int[] {h, r});
      }
    }
    List<int[]> kept = new ArrayList<>(heap);
    kept.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
    List<ScoredDoc> out = new ArrayList<>(kept.size());
    for (int[] hit : kept) {
      out.add(new ScoredDoc(rowIds[hit[1]], 1f - 2f * hit[0] / dimensions));
    }
    return out;
  }
}

package io.embed4j.eval.retrieval;

import io.embed4j.eval.metrics.ScoredDoc;
import io.embed4j.vector.ExactSearch;
import io.embed4j.vector.SimilarityFunction;
import java.util.ArrayList;
import java.util.List;

/**
 * Brute-force retrieval with embed4j-core's {@link ExactSearch}, the evaluator's default. Rows are
 * stored in descending id order, so ties at the top-k boundary resolve as trec_eval would.
 */
public final class ExactRetriever implements Retriever {
  private final String[] rowIds;
  private final ExactSearch search;

  public ExactRetriever(List<String> docIds, float[][] docVectors, SimilarityFunction similarity) {
    if (docIds.size() != docVectors.length) {
      throw new IllegalArgumentException(docIds.size() + " ids but " + docVectors.length + " vectors");
    }
    int[] order = CorpusOrder.descendingIds(docIds);
    int d = docVectors.length == 0 ? 0 : docVectors[0].length;
    float[] rows = new float[order.length * d];
    rowIds = new String[order.length];
    for (int r = 0; r < order.length; r++) {
      float[] v = docVectors[order[r]];
      if (v.length != d) {
        throw new IllegalArgumentException("vector " + order[r] + " has " + v.length + " dimensions, expected " + d);
      }
      System.arraycopy(v, 0, rows, r * d, d);
      rowIds[r] = docIds.get(order[r]);
    }
    search = new ExactSearch(rows, d, similarity);
  }

  @Override
  public List<ScoredDoc> search(float[] queryVector, String queryText, int k) {
    List<ExactSearch.Hit> hits = search.search(queryVector, Math.min(k, Math.max(1, rowIds.length)));
    List<ScoredDoc> out = new ArrayList<>(hits.size());
    for (ExactSearch.Hit h : hits) {
      out.add(new ScoredDoc(rowIds[h.row()], h.score()));
    }
    return out;
  }
}

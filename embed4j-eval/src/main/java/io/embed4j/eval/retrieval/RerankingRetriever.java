package io.embed4j.eval.retrieval;

import io.embed4j.eval.metrics.ScoredDoc;
import io.embed4j.eval.metrics.TrecOrder;
import io.embed4j.vector.SimilarityFunction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Retrieve, then rerank: the first stage's best {@code top} documents are scored again, with the
 * query, by a {@link PairScorer} (a cross-encoder) and reordered by that score; the rest of the first
 * stage's list follows, in its order, with scores below the reranked ones. The evaluator measures the
 * funnel as a whole through the usual {@link Retriever} seam.
 */
public final class RerankingRetriever implements Retriever {
  /** Scores (query, document) pairs, one score per document, higher meaning more relevant. */
  @FunctionalInterface
  public interface PairScorer {
    float[] score(String query, List<String> documents);
  }

  /** Reranking work summed over every query of the retrievers one factory builds. */
  public static final class Stats {
    private final LongAdder nanos = new LongAdder();
    private final LongAdder queries = new LongAdder();
    private final LongAdder pairs = new LongAdder();

    public long queries() {
      return queries.sum();
    }

    public long pairs() {
      return pairs.sum();
    }

    public double seconds() {
      return nanos.sum() / 1e9;
    }

    /** Mean reranking time of one query (its {@code top} pairs), in milliseconds. */
    public double millisPerQuery() {
      return queries.sum() == 0 ? 0 : nanos.sum() / 1e6 / queries.sum();
    }
  }

  private final Retriever first;
  private final Map<String, String> texts;
  private final PairScorer scorer;
  private final int top;
  private final Stats stats;

  public RerankingRetriever(Retriever first, List<String> docIds, List<String> docTexts, PairScorer scorer, int top, Stats stats) {
    if (top < 1) {
      throw new IllegalArgumentException("rerank top must be >= 1, got " + top);
    }
    if (docIds.size() != docTexts.size()) {
      throw new IllegalArgumentException(docIds.size() + " ids but " + docTexts.size() + " texts");
    }
    this.first = first;
    this.texts = new HashMap<>(docIds.size() * 2);
    for (int i = 0; i < docIds.size(); i++) {
      texts.put(docIds.get(i), docTexts.get(i));
    }
    this.scorer = scorer;
    this.top = top;
    this.stats = stats;
  }

  /** Wraps every retriever {@code first} builds: its best {@code top} hits are reranked by {@code scorer}. */
  public static Factory factory(Factory first, PairScorer scorer, int top, Stats stats) {
    return new Factory() {
      @Override
      public Retriever build(List<String> ids, List<String> docTexts, float[][] vectors, SimilarityFunction similarity) {
        return new RerankingRetriever(first.build(ids, docTexts, vectors, similarity), ids, docTexts, scorer, top, stats);
      }

      @Override
      public boolean needsCorpusVectors() {
        return first.needsCorpusVectors();
      }
    };
  }

  @Override
  public List<ScoredDoc> search(float[] queryVector, String queryText, int k) {
    List<ScoredDoc> hits = first.search(queryVector, queryText, Math.max(k, top));
    int n = Math.min(top, hits.size());
    List<String> docs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      docs.add(texts.get(hits.get(i).docId()));
    }
    long t0 = System.nanoTime();
    float[] scores = n == 0 ? new float[0] : scorer.score(queryText, docs);
    stats.nanos.add(System.nanoTime() - t0);
    stats.queries.increment();
    stats.pairs.add(n);
    if (scores.length != n) {
      throw new IllegalStateException("the reranker scored " + scores.length + " of " + n + " documents");
    }
    List<ScoredDoc> head = new ArrayList<>(n);
    double lowest = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      head.add(new ScoredDoc(hits.get(i).docId(), scores[i]));
      lowest = Math.min(lowest, scores[i]);
    }
    head.sort(TrecOrder.RANKING);
    List<ScoredDoc> out = new ArrayList<>(Math.min(k, hits.size()));
    for (int i = 0; i < n && out.size() < k; i++) {
      out.add(head.get(i));
    }
    // The rest keep the first stage's order, each scored below every reranked document.
    for (int i = n; i < hits.size() && out.size() < k; i++) {
      out.add(new ScoredDoc(hits.get(i).docId(), lowest - 1 - (i - n)));
    }
    return out;
  }

  @Override
  public void close() {
    first.close();
  }
}

package io.embed4j.index.bench;

import io.embed4j.index.SearchOptions;
import io.embed4j.index.SemanticIndex;
import io.embed4j.index.fusion.Fusion;
import io.embed4j.index.store.SearchHit;
import io.embed4j.index.store.SearchMode;
import io.embed4j.index.store.SearchRequest;
import io.embed4j.sparse.SparseVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Evaluates an index built from a BEIR corpus ({@code embed4j index --beir}): nDCG@10 and
 * recall@10 of each search mode against the qrels (document level: a document's best chunk stands
 * for it), HNSW recall@10 against exact search (chunk level), and per-query latency. Queries are
 * embedded once up front; their encoding latency is measured apart, one query at a time.
 */
public final class SearchBenchmark {
  /** One configuration to measure: a mode and, for hybrid, a fusion and the rankings it fuses (null: dense and BM25). */
  public record Variant(String name, SearchMode mode, Fusion fusion, List<SearchMode> fused) {
    public Variant(String name, SearchMode mode, Fusion fusion) {
      this(name, mode, fusion, null);
    }
  }

  /** Averages for one variant; latency is the store's search only (query already embedded). */
  public record Row(String name, double ndcgAt10, double recallAt10, Percentiles latency) {}

  /**
   * @param rows one per variant
   * @param hnswRecallAt10 share of exact search's top 10 chunks that HNSW found, averaged over queries
   * @param queryEncoding latency of embedding one query
   * @param queries queries evaluated
   * @param chunks chunks in the index
   * @param sparseQueryEncoding latency of encoding one query with the sparse model, or null for an index without sparse vectors
   */
  public record Result(List<Row> rows, double hnswRecallAt10, Percentiles queryEncoding, int queries, long chunks,
      Percentiles sparseQueryEncoding) {}

  public static List<Variant> defaultVariants(double denseWeight) {
    return List.of(
        new Variant("bm25", SearchMode.BM25, null),
        new Variant("exact", SearchMode.EXACT, null),
        new Variant("dense (hnsw)", SearchMode.DENSE, null),
        new Variant("hybrid (rrf)", SearchMode.HYBRID, Fusion.RRF),
        new Variant(String.format(java.util.Locale.ROOT, "hybrid (weighted %.2f dense)", denseWeight), SearchMode.HYBRID,
            Fusion.parse("weighted", denseWeight)));
  }

  /** The sparse variants, for an index with sparse vectors: sparse alone and hybrids fusing it. */
  public static List<Variant> sparseVariants() {
    List<SearchMode> all = List.of(SearchMode.DENSE, SearchMode.SPARSE, SearchMode.BM25);
    return List.of(
        new Variant("sparse", SearchMode.SPARSE, null),
        new Variant("hybrid dense+sparse (rrf)", SearchMode.HYBRID, Fusion.RRF, List.of(SearchMode.DENSE, SearchMode.SPARSE)),
        new Variant("hybrid sparse+bm25 (rrf)", SearchMode.HYBRID, Fusion.RRF, List.of(SearchMode.SPARSE, SearchMode.BM25)),
        new Variant("hybrid dense+sparse+bm25 (rrf)", SearchMode.HYBRID, Fusion.RRF, all),
        new Variant("hybrid dense+sparse+bm25 (weighted)", SearchMode.HYBRID, Fusion.parse("weighted", null, 3), all));
  }

  private SearchBenchmark() {}

  public static Result run(SemanticIndex index, BeirQueries queries, List<Variant> variants, int candidates) {
    int n = queries.size();
    float[][] vectors = index.model().encodeQuery(queries.texts());
    long[] encode = new long[Math.min(n, 200)];
    for (int i = 0; i < encode.length; i++) {
      long t0 = System.nanoTime();
      index.embedQuery(queries.texts().get(i));
      encode[i] = System.nanoTime() - t0;
    }
    SparseVector[] sparse = null;
    Percentiles sparseEncoding = null;
    if (index.store().sparseModel().isPresent()) {
      sparse = index.sparseEncoder().encodeQuery(queries.texts());
      long[] nanos = new long[Math.min(n, 200)];
      for (int i = 0; i < nanos.length; i++) {
        long t0 = System.nanoTime();
        index.embedSparseQuery(queries.texts().get(i));
        nanos[i] = System.nanoTime() - t0;
      }
      sparseEncoding = Percentiles.of(nanos);
    }
    SearchOptions base = SearchOptions.defaults().withCandidates(candidates);
    List<Row> rows = new ArrayList<>();
    for (Variant v : variants) {
      SearchOptions o = v.fusion() == null ? base : base.withFusion(v.fusion());
      o = v.fused() == null ? o : o.withFused(v.fused());
      for (int i = 0; i < Math.min(n, 20); i++) { // warm-up
        index.retrieve(queries.texts().get(i), vectors[i], sparse == null ? null : sparse[i], 10, v.mode(), o);
      }
      double ndcg = 0;
      double recall = 0;
      long[] nanos = new long[n];
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        List<SemanticIndex.ScoredDocument> docs = index.retrieve(queries.texts().get(i), vectors[i], sparse == null ? null : sparse[i], 10,
            v.mode(), o);
        nanos[i] = System.nanoTime() - t0;
        List<String> ids = docs.stream().map(SemanticIndex.ScoredDocument::id).toList();
        Map<String, Integer> judged = queries.qrels().get(queries.ids().get(i));
        ndcg += RankingMetrics.ndcg(ids, judged, 10);
        recall += RankingMetrics.recall(ids, judged, 10);
      }
      rows.add(new Row(v.name(), ndcg / n, recall / n, Percentiles.of(nanos)));
    }
    double ann = 0;
    for (int i = 0; i < n; i++) {
      SearchRequest r = SearchRequest.of(queries.texts().get(i), vectors[i], 10, SearchMode.EXACT).withCandidates(candidates);
      ann += RankingMetrics.overlap(keys(index.store().search(r.withMode(SearchMode.DENSE))), keys(index.store().search(r)), 10);
    }
    return new Result(rows, ann / n, Percentiles.of(encode), n, index.store().chunkCount(), sparseEncoding);
  }

  private static List<String> keys(List<SearchHit> hits) {
    return hits.stream().map(h -> h.sourceId() + "#" + h.ordinal()).toList();
  }
}

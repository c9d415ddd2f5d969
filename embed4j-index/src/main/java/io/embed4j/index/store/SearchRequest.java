package io.embed4j.index.store;

import io.embed4j.index.fusion.Fusion;
import io.embed4j.sparse.SparseVector;
import java.util.List;

/**
 * A query for a {@link SearchStore}.
 *
 * @param text the query text (BM25, and hybrid when it fuses BM25)
 * @param vector the query embedding (dense, exact, and hybrid when it fuses dense); null otherwise
 * @param k results wanted
 * @param mode how to match
 * @param filters conditions every hit meets (AND)
 * @param fusion how hybrid merges its rankings
 * @param candidates HNSW candidates gathered (efSearch), and the depth of each ranking hybrid fuses; at least k
 * @param onePerSource keep only the best chunk of each source (documents, not passages)
 * @param sparseVector the query's SPLADE vector (sparse, and hybrid when it fuses sparse); null otherwise
 * @param fused the rankings hybrid fuses, in order (weights of weighted fusion follow it): two or three of dense, sparse, bm25
 */
public record SearchRequest(
    String text,
    float[] vector,
    int k,
    SearchMode mode,
    List<Filter> filters,
    Fusion fusion,
    int candidates,
    boolean onePerSource,
    SparseVector sparseVector,
    List<SearchMode> fused) {

  public static final int DEFAULT_CANDIDATES = 100;

  public SearchRequest {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    fused = fused == null ? SearchMode.DEFAULT_FUSED : List.copyOf(fused);
    if (mode == SearchMode.HYBRID) {
      SearchMode.requireFusable(fused);
    }
    if (uses(mode, fused, SearchMode.DENSE) && vector == null) {
      throw new IllegalArgumentException(mode.cliName() + " search needs a query vector");
    }
    if (uses(mode, fused, SearchMode.BM25) && text == null) {
      throw new IllegalArgumentException(mode.cliName() + " search needs the query text");
    }
    if (uses(mode, fused, SearchMode.SPARSE) && sparseVector == null) {
      throw new IllegalArgumentException(mode.cliName() + " search needs a sparse query vector");
    }
    filters = filters == null ? List.of() : List.copyOf(filters);
    fusion = fusion == null ? Fusion.RRF : fusion;
    candidates = Math.max(candidates, k);
  }

  /** A request without sparse retrieval (hybrid fuses dense and BM25). */
  public SearchRequest(String text, float[] vector, int k, SearchMode mode, List<Filter> filters, Fusion fusion, int candidates,
      boolean onePerSource) {
    this(text, vector, k, mode, filters, fusion, candidates, onePerSource, null, null);
  }

  /** Whether a search in {@code mode} (fusing {@code fused} when hybrid) runs the {@code ranking} ranking. */
  public static boolean uses(SearchMode mode, List<SearchMode> fused, SearchMode ranking) {
    if (mode == SearchMode.HYBRID) {
      return fused.contains(ranking);
    }
    return mode == ranking || (ranking == SearchMode.DENSE && mode == SearchMode.EXACT);
  }

  /** Whether this request runs the {@code ranking} ranking (EXACT counts as dense). */
  public boolean uses(SearchMode ranking) {
    return uses(mode, fused, ranking);
  }

  public static SearchRequest of(String text, float[] vector, int k, SearchMode mode) {
    return new SearchRequest(text, vector, k, mode, List.of(), Fusion.RRF, DEFAULT_CANDIDATES, false);
  }

  /** A request that may use all three rankings: text for BM25, a dense and a sparse query vector. */
  public static SearchRequest of(String text, float[] vector, SparseVector sparse, int k, SearchMode mode) {
    return new SearchRequest(text, vector, k, mode, List.of(), Fusion.RRF, DEFAULT_CANDIDATES, false, sparse, null);
  }

  public SearchRequest withK(int newK) {
    return new SearchRequest(text, vector, newK, mode, filters, fusion, candidates, onePerSource, sparseVector, fused);
  }

  public SearchRequest withMode(SearchMode m) {
    return new SearchRequest(text, vector, k, m, filters, fusion, candidates, onePerSource, sparseVector, fused);
  }

  public SearchRequest withFilters(List<Filter> f) {
    return new SearchRequest(text, vector, k, mode, f, fusion, candidates, onePerSource, sparseVector, fused);
  }

  public SearchRequest withFusion(Fusion f) {
    return new SearchRequest(text, vector, k, mode, filters, f, candidates, onePerSource, sparseVector, fused);
  }

  public SearchRequest withCandidates(int c) {
    return new SearchRequest(text, vector, k, mode, filters, fusion, c, onePerSource, sparseVector, fused);
  }

  public SearchRequest withOnePerSource(boolean on) {
    return new SearchRequest(text, vector, k, mode, filters, fusion, candidates, on, sparseVector, fused);
  }

  public SearchRequest withSparse(SparseVector s) {
    return new SearchRequest(text, vector, k, mode, filters, fusion, candidates, onePerSource, s, fused);
  }

  /** Hybrid over these rankings, in this order. */
  public SearchRequest withFused(List<SearchMode> f) {
    return new SearchRequest(text, vector, k, mode, filters, fusion, candidates, onePerSource, sparseVector, f);
  }
}

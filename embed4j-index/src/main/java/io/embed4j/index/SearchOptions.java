package io.embed4j.index;

import io.embed4j.index.fusion.Fusion;
import io.embed4j.index.store.Filter;
import io.embed4j.index.store.SearchMode;
import io.embed4j.index.store.SearchRequest;
import io.embed4j.sparse.SparseVector;
import java.util.List;

/**
 * How to search.
 *
 * @param k results wanted
 * @param mode dense, exact, bm25, sparse or hybrid
 * @param filters conditions on path, format or metadata
 * @param fusion how hybrid merges its rankings
 * @param candidates HNSW candidates (efSearch) and hybrid ranking depth
 * @param onePerSource keep the best chunk of each source only
 * @param fused the rankings hybrid fuses, in order: two or three of dense, sparse, bm25 (default dense, bm25)
 */
public record SearchOptions(int k, SearchMode mode, List<Filter> filters, Fusion fusion, int candidates, boolean onePerSource,
    List<SearchMode> fused) {
  public SearchOptions {
    if (k < 1) {
      throw new IllegalArgumentException("-k must be >= 1, got " + k);
    }
    filters = filters == null ? List.of() : List.copyOf(filters);
    fusion = fusion == null ? Fusion.RRF : fusion;
    fused = fused == null ? SearchMode.DEFAULT_FUSED : List.copyOf(fused);
    SearchMode.requireFusable(fused);
  }

  /** Options whose hybrid fuses dense and BM25. */
  public SearchOptions(int k, SearchMode mode, List<Filter> filters, Fusion fusion, int candidates, boolean onePerSource) {
    this(k, mode, filters, fusion, candidates, onePerSource, null);
  }

  public static SearchOptions defaults() {
    return new SearchOptions(10, SearchMode.HYBRID, List.of(), Fusion.RRF, SearchRequest.DEFAULT_CANDIDATES, false);
  }

  public SearchOptions withK(int n) {
    return new SearchOptions(n, mode, filters, fusion, candidates, onePerSource, fused);
  }

  public SearchOptions withMode(SearchMode m) {
    return new SearchOptions(k, m, filters, fusion, candidates, onePerSource, fused);
  }

  public SearchOptions withFilters(List<Filter> f) {
    return new SearchOptions(k, mode, f, fusion, candidates, onePerSource, fused);
  }

  public SearchOptions withFusion(Fusion f) {
    return new SearchOptions(k, mode, filters, f, candidates, onePerSource, fused);
  }

  public SearchOptions withCandidates(int c) {
    return new SearchOptions(k, mode, filters, fusion, c, onePerSource, fused);
  }

  public SearchOptions withOnePerSource(boolean on) {
    return new SearchOptions(k, mode, filters, fusion, candidates, on, fused);
  }

  /** Hybrid over these rankings, in this order (weighted fusion's weights follow it). */
  public SearchOptions withFused(List<SearchMode> f) {
    return new SearchOptions(k, mode, filters, fusion, candidates, onePerSource, f);
  }

  /** Whether a search with these options runs {@code ranking} (exact counts as dense). */
  public boolean uses(SearchMode ranking) {
    return SearchRequest.uses(mode, fused, ranking);
  }

  SearchRequest toRequest(String text, float[] vector, SparseVector sparse) {
    return new SearchRequest(text, vector, k, mode, filters, fusion, candidates, onePerSource, sparse, fused);
  }
}

package io.embed4j.index;

import io.embed4j.index.fusion.Fusion;
import io.embed4j.index.store.Filter;
import io.embed4j.index.store.SearchMode;
import io.embed4j.index.store.SearchRequest;
import java.util.List;

/**
 * How to search.
 *
 * @param k results wanted
 * @param mode dense, exact, bm25 or hybrid
 * @param filters conditions on path, format or metadata
 * @param fusion how hybrid merges dense and BM25
 * @param candidates HNSW candidates (efSearch) and hybrid ranking depth
 * @param onePerSource keep the best chunk of each source only
 */
public record SearchOptions(int k, SearchMode mode, List<Filter> filters, Fusion fusion, int candidates, boolean onePerSource) {
  public SearchOptions {
    if (k < 1) {
      throw new IllegalArgumentException("-k must be >= 1, got " + k);
    }
    filters = filters == null ? List.of() : List.copyOf(filters);
    fusion = fusion == null ? Fusion.RRF : fusion;
  }

  public static SearchOptions defaults() {
    return new SearchOptions(10, SearchMode.HYBRID, List.of(), Fusion.RRF, SearchRequest.DEFAULT_CANDIDATES, false);
  }

  public SearchOptions withK(int n) {
    return new SearchOptions(n, mode, filters, fusion, candidates, onePerSource);
  }

  public SearchOptions withMode(SearchMode m) {
    return new SearchOptions(k, m, filters, fusion, candidates, onePerSource);
  }

  public SearchOptions withFilters(List<Filter> f) {
    return new SearchOptions(k, mode, f, fusion, candidates, onePerSource);
  }

  public SearchOptions withFusion(Fusion f) {
    return new SearchOptions(k, mode, filters, f, candidates, onePerSource);
  }

  public SearchOptions withCandidates(int c) {
    return new SearchOptions(k, mode, filters, fusion, c, onePerSource);
  }

  public SearchOptions withOnePerSource(boolean on) {
    return new SearchOptions(k, mode, filters, fusion, candidates, on);
  }

  SearchRequest toRequest(String text, float[] vector) {
    return new SearchRequest(text, vector, k, mode, filters, fusion, candidates, onePerSource);
  }
}

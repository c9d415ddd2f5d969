package io.embed4j.index.store;

import io.embed4j.index.fusion.Fusion;
import java.util.List;

/**
 * A query for a {@link SearchStore}.
 *
 * @param text the query text (BM25 and hybrid)
 * @param vector the query embedding (dense, exact and hybrid); null for BM25
 * @param k results wanted
 * @param mode how to match
 * @param filters conditions every hit meets (AND)
 * @param fusion how hybrid merges its rankings
 * @param candidates HNSW candidates gathered (efSearch), and the depth of each ranking hybrid fuses; at least k
 * @param onePerSource keep only the best chunk of each source (documents, not passages)
 */
public record SearchRequest(
    String text,
    float[] vector,
    int k,
    SearchMode mode,
    List<Filter> filters,
    Fusion fusion,
    int candidates,
    boolean onePerSource) {

  public static final int DEFAULT_CANDIDATES = 100;

  public SearchRequest {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    if (mode.needsVector() && vector == null) {
      throw new IllegalArgumentException(mode.cliName() + " search needs a query vector");
    }
    if ((mode == SearchMode.BM25 || mode == SearchMode.HYBRID) && text == null) {
      throw new IllegalArgumentException(mode.cliName() + " search needs the query text");
    }
    filters = filters == null ? List.of() : List.copyOf(filters);
    fusion = fusion == null ? Fusion.RRF : fusion;
    candidates = Math.max(candidates, k);
  }

  public static SearchRequest of(String text, float[] vector, int k, SearchMode mode) {
    return new SearchRequest(text, vector, k, mode, List.of(), Fusion.RRF, DEFAULT_CANDIDATES, false);
  }

  public SearchRequest withK(int newK) {
    return new SearchRequest(text, vector, newK, mode, filters, fusion, candidates, onePerSource);
  }

  public SearchRequest withMode(SearchMode m) {
    return new SearchRequest(text, vector, k, m, filters, fusion, candidates, onePerSource);
  }

  public SearchRequest withFilters(List<Filter> f) {
    return new SearchRequest(text, vector, k, mode, f, fusion, candidates, onePerSource);
  }

  public SearchRequest withFusion(Fusion f) {
    return new SearchRequest(text, vector, k, mode, filters, f, candidates, onePerSource);
  }

  public SearchRequest withCandidates(int c) {
    return new SearchRequest(text, vector, k, mode, filters, fusion, c, onePerSource);
  }

  public SearchRequest withOnePerSource(boolean on) {
    return new SearchRequest(text, vector, k, mode, filters, fusion, candidates, on);
  }
}

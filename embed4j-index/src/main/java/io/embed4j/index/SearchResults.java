package io.embed4j.index;

import io.embed4j.index.store.SearchHit;
import java.util.List;

/**
 * Hits of one search, best first, with where the time went.
 *
 * @param hits the results
 * @param encodeNanos time embedding the query (0 for BM25)
 * @param searchNanos time in the store
 */
public record SearchResults(List<SearchHit> hits, long encodeNanos, long searchNanos) {
  public SearchResults {
    hits = List.copyOf(hits);
  }
}

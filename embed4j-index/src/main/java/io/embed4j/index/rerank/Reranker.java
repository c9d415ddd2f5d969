package io.embed4j.index.rerank;

import io.embed4j.index.store.SearchHit;
import java.util.List;

/**
 * A second stage that re-scores the first stage's best hits with a stronger model (a cross-encoder
 * reads query and chunk together). {@link io.embed4j.index.SemanticIndex} asks the store for
 * {@link #depth()} hits, hands them here, and keeps the best {@code k} of what comes back.
 * No implementation ships yet: cross-encoders are a later issue.
 */
public interface Reranker {
  /** Hits to fetch for reranking. */
  int depth();

  /** The same hits with new scores, best first. */
  List<SearchHit> rerank(String query, List<SearchHit> hits);
}

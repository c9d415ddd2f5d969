package io.embed4j.cli.search;

import io.embed4j.cli.rerank.RerankStageOptions;
import io.embed4j.index.rerank.Reranker;
import io.embed4j.index.store.SearchHit;
import java.util.ArrayList;
import java.util.List;

/** {@code search --rerank MODEL}: the rerank module's cross-encoder stage behind the index's {@link Reranker} seam. */
final class CrossEncoderReranker implements Reranker {
  private final RerankStageOptions.Stage stage;

  CrossEncoderReranker(RerankStageOptions.Stage stage) {
    this.stage = stage;
    stage.top(); // one top and one fusion, refused now rather than at the first query
    stage.fusion();
  }

  @Override
  public int depth() {
    return stage.top();
  }

  @Override
  public List<SearchHit> rerank(String query, List<SearchHit> hits) {
    List<String> texts = new ArrayList<>(hits.size());
    for (SearchHit h : hits) {
      texts.add(h.heading().isEmpty() ? h.text() : h.heading() + "\n\n" + h.text());
    }
    double[] first = new double[hits.size()];
    for (int i = 0; i < first.length; i++) {
      first[i] = hits.get(i).score();
    }
    double[] scores = stage.fusion().fuse(first, stage.score(query, texts));
    List<SearchHit> out = new ArrayList<>(hits.size());
    for (int i = 0; i < hits.size(); i++) {
      out.add(hits.get(i).withScore(scores[i]));
    }
    out.sort((a, b) -> Double.compare(b.score(), a.score())); // stable: first-stage order breaks ties
    return out;
  }
}

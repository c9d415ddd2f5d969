package io.embed4j.eval.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.eval.metrics.ScoredDoc;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Retrieve-then-rerank over a fixed first stage and a scorer whose scores are the documents' lengths. */
class RerankingRetrieverTest {
  private static final List<String> IDS = List.of("a", "b", "c", "d", "e");
  private static final List<String> TEXTS = List.of("x", "xxxx", "xx", "xxxxx", "xxx");
  // The first stage ranks a > b > c > d > e.
  private static final Retriever FIRST = (q, text, k) -> List.of(
      new ScoredDoc("a", 0.9), new ScoredDoc("b", 0.8), new ScoredDoc("c", 0.7), new ScoredDoc("d", 0.6), new ScoredDoc("e", 0.5))
      .subList(0, Math.min(k, 5));
  private static final RerankingRetriever.PairScorer BY_LENGTH = (query, docs) -> {
    float[] s = new float[docs.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = docs.get(i).length();
    }
    return s;
  };

  private static List<String> ids(List<ScoredDoc> hits) {
    return hits.stream().map(ScoredDoc::docId).toList();
  }

  @Test
  void theTopIsReorderedAndTheRestFollowsInFirstStageOrder() {
    RerankingRetriever.Stats stats = new RerankingRetriever.Stats();
    RerankingRetriever r = new RerankingRetriever(FIRST, IDS, TEXTS, BY_LENGTH, 3, stats);
    List<ScoredDoc> hits = r.search(new float[0], "q", 5);
    assertEquals(List.of("b", "c", "a", "d", "e"), ids(hits), "a, b, c reranked by length; d, e after");
    assertEquals(4.0, hits.get(0).score(), 0);
    assertTrue(hits.get(3).score() < hits.get(2).score() && hits.get(4).score() < hits.get(3).score(), hits.toString());
    assertEquals(1, stats.queries());
    assertEquals(3, stats.pairs());
  }

  @Test
  void allCandidatesRerankedWhenTopCoversTheList() {
    RerankingRetriever r = new RerankingRetriever(FIRST, IDS, TEXTS, BY_LENGTH, 100, new RerankingRetriever.Stats());
    assertEquals(List.of("d", "b", "e", "c", "a"), ids(r.search(new float[0], "q", 10)));
  }

  @Test
  void kBelowTopStillReranksTopCandidates() {
    RerankingRetriever.Stats stats = new RerankingRetriever.Stats();
    RerankingRetriever r = new RerankingRetriever(FIRST, IDS, TEXTS, BY_LENGTH, 4, stats);
    assertEquals(List.of("d", "b"), ids(r.search(new float[0], "q", 2)), "the best 2 of the first 4, reranked");
    assertEquals(4, stats.pairs());
  }

  @Test
  void equalScoresFollowTrecEvalsTieOrder() {
    RerankingRetriever r = new RerankingRetriever(FIRST, IDS, List.of("x", "x", "x", "x", "x"), BY_LENGTH, 3, new RerankingRetriever.Stats());
    assertEquals(List.of("c", "b", "a", "d", "e"), ids(r.search(new float[0], "q", 5)), "ties: larger id first");
  }
}

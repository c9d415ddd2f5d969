package io.embed4j.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-computed cases against trec_eval's definitions (ndcg_cut, map_cut, recall, P) and MTEB's MRR@k. */
class RetrievalMetricsTest {
  private static final double EPS = 1e-12;
  private static final double LOG2_3 = Math.log(3) / Math.log(2);

  private static List<ScoredDoc> run(Object... idScore) {
    List<ScoredDoc> out = new java.util.ArrayList<>();
    for (int i = 0; i < idScore.length; i += 2) {
      out.add(new ScoredDoc((String) idScore[i], ((Number) idScore[i + 1]).doubleValue()));
    }
    return out;
  }

  @Test
  void gradedRelevanceIsTheGainAndMapDividesByAllRelevant() {
    // d3 judged 0, d2 grade 1, d1 grade 2; ranked d3, d2, d1.
    Map<String, Integer> j = Map.of("d1", 2, "d2", 1, "d3", 0);
    Map<String, Double> m = RetrievalMetrics.perQuery("q", j, run("d1", 0.7, "d3", 0.9, "d2", 0.8), new int[] {1, 2, 3});
    // DCG@3 = 0 + 1/log2(3) + 2/log2(4); IDCG@3 = 2/log2(2) + 1/log2(3)
    assertEquals((1 / LOG2_3 + 1.0) / (2 + 1 / LOG2_3), m.get("ndcg_at_3"), EPS);
    assertEquals(0.6199062332840657, m.get("ndcg_at_3"), 1e-12);
    assertEquals(0.0, m.get("ndcg_at_1"), EPS);
    assertEquals((1 / LOG2_3) / (2 + 1 / LOG2_3), m.get("ndcg_at_2"), EPS);
    // Relevant (grade >= 1) at ranks 2 and 3; R = 2.
    assertEquals(0.0, m.get("map_at_1"), EPS);
    assertEquals((1.0 / 2) / 2, m.get("map_at_2"), EPS);
    assertEquals((1.0 / 2 + 2.0 / 3) / 2, m.get("map_at_3"), EPS);
    assertEquals(0.5, m.get("recall_at_2"), EPS);
    assertEquals(1.0, m.get("recall_at_3"), EPS);
    assertEquals(0.0, m.get("precision_at_1"), EPS);
    assertEquals(2.0 / 3, m.get("precision_at_3"), EPS);
    assertEquals(0.0, m.get("mrr_at_1"), EPS);
    assertEquals(0.5, m.get("mrr_at_3"), EPS);
  }

  @Test
  void mapAtKDividesByRelevantCountNotByK() {
    Map<String, Double> m = RetrievalMetrics.perQuery("q", Map.of("a", 1, "b", 1, "c", 1), run("a", 3, "x", 2, "b", 1), new int[] {1, 3});
    assertEquals(1.0 / 3, m.get("map_at_1"), EPS);
    assertEquals((1.0 + 2.0 / 3) / 3, m.get("map_at_3"), EPS);
  }

  @Test
  void tiesAreBrokenByDocumentIdDescendingAsStrcmp() {
    // Equal scores: trec_eval ranks the larger id first; "d9" > "d10" bytewise.
    Map<String, Double> m = RetrievalMetrics.perQuery("q", Map.of("d10", 1), run("d10", 0.5, "d9", 0.5), new int[] {1, 2});
    assertEquals(0.0, m.get("precision_at_1"), EPS);
    assertEquals(0.5, m.get("mrr_at_2"), EPS);
    assertEquals(1 / LOG2_3, m.get("ndcg_at_2"), EPS);
    // Input order does not matter: only score, then id.
    assertEquals(m, RetrievalMetrics.perQuery("q", Map.of("d10", 1), run("d9", 0.5, "d10", 0.5), new int[] {1, 2}));
    // A higher score still wins over a larger id.
    assertEquals(1.0, RetrievalMetrics.perQuery("q", Map.of("a", 1), run("z", 0.5, "a", 0.50001), new int[] {1}).get("precision_at_1"), EPS);
  }

  @Test
  void fewerResultsThanKStillDivideByK() {
    Map<String, Double> m = RetrievalMetrics.perQuery("q", Map.of("a", 1, "b", 1), run("a", 0.9, "x", 0.1), new int[] {10});
    assertEquals(1.0 / 10, m.get("precision_at_10"), EPS);
    assertEquals(0.5, m.get("recall_at_10"), EPS);
    assertEquals(0.5, m.get("map_at_10"), EPS);
    assertEquals(1.0 / (1 + 1 / LOG2_3), m.get("ndcg_at_10"), EPS);
    assertEquals(1.0, m.get("mrr_at_10"), EPS);
  }

  @Test
  void scoreZeroJudgementsAreNotRelevant() {
    Map<String, Double> m = RetrievalMetrics.perQuery("q", Map.of("a", 0, "b", 1), run("a", 0.9, "b", 0.8), new int[] {1, 2});
    assertEquals(0.0, m.get("precision_at_1"), EPS);
    assertEquals(0.5, m.get("mrr_at_2"), EPS);
    assertEquals(1.0, m.get("recall_at_2"), EPS);
    assertEquals(1 / LOG2_3, m.get("ndcg_at_2"), EPS);
  }

  @Test
  void documentWhoseIdIsTheQueryIdIsIgnored() {
    Map<String, Double> m = RetrievalMetrics.perQuery("q1", Map.of("d1", 1), run("q1", 0.99, "d1", 0.5), new int[] {1});
    assertEquals(1.0, m.get("ndcg_at_1"), EPS);
    assertEquals(1.0, m.get("mrr_at_1"), EPS);
  }

  @Test
  void meanSkipsQueriesWithoutRelevantDocumentsAndZeroesQueriesWithoutRun() {
    Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
    qrels.put("q1", Map.of("d1", 1));
    qrels.put("q2", Map.of("d2", 0));           // no relevant document: left out of the mean
    qrels.put("q3", Map.of("d3", 2));           // judged but never retrieved: counts as 0
    Map<String, List<ScoredDoc>> runs = Map.of(
        "q1", run("d1", 0.9, "d2", 0.1),
        "q2", run("d2", 0.9),
        "q9", run("d1", 1.0));                  // not in the qrels: ignored
    Map<String, Double> mean = RetrievalMetrics.mean(qrels, runs, new int[] {1, 10});
    assertEquals(0.5, mean.get("ndcg_at_10"), EPS);
    assertEquals(0.5, mean.get("precision_at_1"), EPS);
    assertEquals(0.05, mean.get("precision_at_10"), EPS);
    assertEquals(0.5, mean.get("recall_at_10"), EPS);
  }

  @Test
  void keysAreMtebNamesInMeasureThenCutoffOrder() {
    Map<String, Double> m = RetrievalMetrics.mean(Map.of("q", Map.of("d", 1)), Map.of("q", run("d", 1)), new int[] {1, 10});
    assertEquals(List.of("ndcg_at_1", "ndcg_at_10", "map_at_1", "map_at_10", "recall_at_1", "recall_at_10",
        "precision_at_1", "precision_at_10", "mrr_at_1", "mrr_at_10"), List.copyOf(m.keySet()));
  }

  @Test
  void badCutoffsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> RetrievalMetrics.perQuery("q", Map.of(), List.of(), new int[] {0}));
    assertThrows(IllegalArgumentException.class, () -> RetrievalMetrics.perQuery("q", Map.of(), List.of(), new int[] {5, 5}));
  }

  @Test
  void nonAsciiIdsCompareAsUtf8Bytes() {
    // 'é' (0xC3 0xA9 in UTF-8) sorts after 'z' bytewise, as strcmp would; UTF-16 order agrees here,
    // but U+FF21 vs U+10000 (a surrogate pair) is where they differ.
    assertEquals(1, TrecOrder.compareIds("\uD800\uDC00", "\uFF21"));
    assertEquals(-1, TrecOrder.compareIds("z", "é"));
  }
}

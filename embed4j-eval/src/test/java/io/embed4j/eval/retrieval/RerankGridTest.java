package io.embed4j.eval.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.eval.Progress;
import io.embed4j.eval.data.BeirDataset;
import io.embed4j.eval.metrics.ScoredDoc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Several rerank settings over one first-stage run: one query whose relevant document "d" is the
 * first stage's fourth hit; the scorer's score is the document's length, and "d" is the longest.
 */
class RerankGridTest {
  private static final BeirDataset DATA = new BeirDataset("tiny", List.of("a", "b", "c", "d", "e"),
      List.of("x", "xxxx", "xx", "xxxxx", "xxx"), List.of("q"), List.of("query"), Map.of("q", Map.of("d", 1)));
  private static final Map<String, List<ScoredDoc>> FIRST = Map.of("q", List.of(
      new ScoredDoc("a", 0.9), new ScoredDoc("b", 0.8), new ScoredDoc("c", 0.7), new ScoredDoc("d", 0.6), new ScoredDoc("e", 0.5)));

  /** The first stage's order: w = 0 reproduces it; w = 1 is the cross-encoder's. */
  private static final RerankGrid.Fusion CE = fusion("ce", 1);
  private static final RerankGrid.Fusion FIRST_ONLY = fusion("first", 0);

  private static RerankGrid.Fusion fusion(String label, double w) {
    return new RerankGrid.Fusion() {
      @Override
      public String label() {
        return label;
      }

      @Override
      public double[] fuse(double[] first, float[] reranker) {
        double[] out = new double[first.length];
        for (int i = 0; i < out.length; i++) {
          out[i] = w * reranker[i] + (1 - w) * first[i];
        }
        return out;
      }
    };
  }

  private static final class CountingScorer implements RerankingRetriever.PairScorer {
    final List<String> scored = new ArrayList<>();
    final List<Integer> calls = new ArrayList<>();

    @Override
    public float[] score(String query, List<String> documents) {
      calls.add(documents.size());
      scored.addAll(documents);
      float[] s = new float[documents.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = documents.get(i).length();
      }
      return s;
    }
  }

  private static List<String> ids(List<ScoredDoc> hits) {
    return hits.stream().map(ScoredDoc::docId).toList();
  }

  @Test
  void eachPairIsScoredOnceInSlicesCutAtEachTop() {
    CountingScorer scorer = new CountingScorer();
    RerankGrid.Result r = RerankGrid.evaluate(DATA, FIRST, scorer, List.of(4, 2), List.of(CE, FIRST_ONLY), new int[] {1, 10}, Progress.NONE);
    assertEquals(List.of(2, 2), scorer.calls, "ranks 0..2, then 2..4");
    assertEquals(List.of("x", "xxxx", "xx", "xxxxx"), scorer.scored);
    assertEquals(4, r.pairs());
    assertEquals(1, r.queries());
    assertEquals(List.of(2, 4), List.copyOf(r.millisPerQuery().keySet()));
    assertTrue(r.millisPerQuery().get(4) >= r.millisPerQuery().get(2));
    assertEquals(4, r.outcomes().size());
    assertEquals("rerank@4 ce", r.outcomes().get(0).setting().label(), "tops in the order given, fusions within each");
  }

  @Test
  void eachSettingRanksAsItsTopAndFusionSay() {
    RerankGrid.Result r = RerankGrid.evaluate(DATA, FIRST, new CountingScorer(), List.of(4, 2), List.of(CE, FIRST_ONLY), new int[] {1, 10},
        Progress.NONE);
    Map<String, RerankGrid.Outcome> by = new HashMap<>();
    r.outcomes().forEach(o -> by.put(o.setting().label(), o));
    assertEquals(List.of("d", "b", "c", "a", "e"), ids(by.get("rerank@4 ce").run().get("q")));
    assertEquals(1.0, by.get("rerank@4 ce").metrics().get("ndcg_at_10"), 1e-12);
    assertEquals(1.0, by.get("rerank@4 ce").metrics().get("main_score"), 1e-12);
    assertEquals(List.of("b", "a", "c", "d", "e"), ids(by.get("rerank@2 ce").run().get("q")), "d is beyond the top 2");
    assertEquals(1 / (Math.log(5) / Math.log(2)), by.get("rerank@2 ce").metrics().get("ndcg_at_10"), 1e-12);
    assertEquals(List.of("a", "b", "c", "d", "e"), ids(by.get("rerank@4 first").run().get("q")));
  }

  @Test
  void aSingleTopWithTheCrossEncoderAloneMatchesTheRerankingRetriever() {
    RerankGrid.Result r = RerankGrid.evaluate(DATA, FIRST, new CountingScorer(), List.of(3), List.of(CE), new int[] {10}, Progress.NONE);
    Retriever first = (q, text, k) -> FIRST.get("q").subList(0, Math.min(k, 5));
    RerankingRetriever single = new RerankingRetriever(first, DATA.docIds(), DATA.docTexts(), new CountingScorer(), 3,
        new RerankingRetriever.Stats());
    assertEquals(ids(single.search(new float[0], "query", 5)), ids(r.outcomes().get(0).run().get("q")));
  }
}

package io.embed4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.Embed4jException;
import io.embed4j.encode.Precision;
import io.embed4j.eval.data.BeirDataset;
import io.embed4j.eval.metrics.ScoredDoc;
import io.embed4j.eval.retrieval.Retriever;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The evaluator on hand-made vectors: what it searches, what it drops, what it reports. */
class RetrievalEvaluatorTest {
  private static final double LOG2_3 = Math.log(3) / Math.log(2);

  // Three topics on three axes; documents lean towards one topic each.
  private static final Map<String, float[]> VECTORS = Map.of(
      "about apples", new float[] {1, 0.1f, 0},
      "about bananas", new float[] {0.1f, 1, 0},
      "about cherries", new float[] {0, 0, 1},
      "apple question", new float[] {1, 0, 0},
      "banana question", new float[] {0, 1, 0.3f},
      "cherry question", new float[] {0, 0, 1});

  private static BeirDataset dataset(Map<String, Map<String, Integer>> qrels, List<String> queryIds) {
    return new BeirDataset("fruit", List.of("a", "b", "c"), List.of("about apples", "about bananas", "about cherries"),
        queryIds, List.of("apple question", "banana question", "cherry question").subList(0, queryIds.size()), qrels);
  }

  @Test
  void perfectRankingScoresOneAndMainScoreIsNdcgAt10() {
    Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
    qrels.put("q1", Map.of("a", 1));
    qrels.put("q2", Map.of("b", 2, "c", 0));
    qrels.put("q3", Map.of("c", 1));
    FakeEncoder enc = new FakeEncoder(VECTORS);
    Map<String, Double> m = new RetrievalEvaluator(dataset(qrels, List.of("q1", "q2", "q3"))).evaluate(enc);
    assertEquals(1.0, m.get("ndcg_at_10"), 1e-12);
    assertEquals(m.get("ndcg_at_10"), m.get("main_score"));
    assertEquals(1.0, m.get("mrr_at_1"), 1e-12);
    assertEquals(1.0 / 3, m.get("precision_at_3"), 1e-12);
    assertEquals(3.0, m.get("corpus_size"));
    assertEquals(3.0, m.get("judged_queries"));
    assertEquals(0.0, m.get("corpus_cache_hit"));
    assertTrue(m.containsKey("corpus_texts_per_second") && m.containsKey("search_seconds") && m.containsKey("encode_corpus_seconds"));
    assertEquals(6, enc.encodedTexts, "3 documents + 3 queries, each once");
  }

  @Test
  void documentNamedLikeItsQueryIsDroppedBeforeRanking() {
    // Query "a" asks for apples, but its own id is document "a": BEIR drops it, so "b" (judged relevant) ranks first.
    Map<String, Map<String, Integer>> qrels = Map.of("a", Map.of("b", 1));
    BeirDataset d = new BeirDataset("self", List.of("a", "b", "c"), List.of("about apples", "about bananas", "about cherries"),
        List.of("a"), List.of("apple question"), qrels);
    EvalResult r = new RetrievalEvaluator(d).evaluate(new FakeEncoder(VECTORS), List.of(new VectorVariant(3, Precision.FLOAT32)));
    List<ScoredDoc> run = r.run().get("a");
    assertEquals(List.of("b", "c"), run.stream().map(ScoredDoc::docId).toList());
    assertEquals(1.0, r.mainScore(), 1e-12);
  }

  @Test
  void everyVariantIsScoredFromOneEncodingPass() {
    Map<String, Map<String, Integer>> qrels = Map.of("q1", Map.of("a", 1), "q2", Map.of("b", 1));
    FakeEncoder enc = new FakeEncoder(VECTORS);
    List<VectorVariant> grid = VectorVariant.grid(List.of(3, 2, 1), List.of(Precision.FLOAT32, Precision.INT8, Precision.BINARY));
    EvalResult r = new RetrievalEvaluator(dataset(qrels, List.of("q1", "q2"))).evaluate(enc, grid);
    assertEquals(5, enc.encodedTexts);
    assertEquals(grid, List.copyOf(r.scores().keySet()));
    assertEquals(1.0, r.scores().get(new VectorVariant(2, Precision.FLOAT32)).get("ndcg_at_10"), 1e-12);
    // One dimension: the bananas query becomes the zero vector, every document ties with it, and the
    // tie goes to the larger id "c" (not relevant), so the ranking is no longer perfect.
    Map<String, Double> oneDim = r.scores().get(new VectorVariant(1, Precision.FLOAT32));
    assertTrue(oneDim.get("main_score") < 1.0, oneDim.toString());
  }

  @Test
  void binaryTiesResolveToTheLargerIdLikeTrecEval() {
    // All documents share the query's sign pattern: every hamming distance is 0.
    Map<String, float[]> same = Map.of("d", new float[] {1, 1}, "q", new float[] {1, 2});
    BeirDataset d = new BeirDataset("ties", List.of("x1", "x3", "x2"), List.of("d", "d", "d"), List.of("q"), List.of("q"),
        Map.of("q", Map.of("x2", 1)));
    EvalResult r = new RetrievalEvaluator(d, new int[] {1, 2}, Retriever.Factory.EXACT, Progress.NONE)
        .evaluate(new FakeEncoder(same), List.of(new VectorVariant(2, Precision.BINARY)));
    assertEquals(List.of("x3", "x2", "x1"), r.run().get("q").stream().map(ScoredDoc::docId).toList());
    assertEquals(1 / LOG2_3, r.mainScore(), 1e-12);
  }

  @Test
  void aRetrieverFactoryReplacesExactSearchForFloatVariants() {
    Map<String, Map<String, Integer>> qrels = Map.of("q1", Map.of("c", 1));
    // A retriever that returns documents in reverse id order with falling scores, whatever the query.
    Retriever.Factory reversed = (ids, texts, vectors, sim) -> (qv, qt, k) -> List.of(new ScoredDoc("c", 0.9), new ScoredDoc("b", 0.8), new ScoredDoc("a", 0.7));
    EvalResult r = new RetrievalEvaluator(dataset(qrels, List.of("q1")), new int[] {1}, reversed, Progress.NONE)
        .evaluate(new FakeEncoder(VECTORS), List.of(new VectorVariant(3, Precision.FLOAT32)));
    assertEquals(1.0, r.scores().values().iterator().next().get("precision_at_1"), 1e-12);
  }

  @Test
  void tooManyDimensionsIsAUserError() {
    var e = assertThrows(Embed4jException.InvalidInput.class, () -> new RetrievalEvaluator(dataset(Map.of("q1", Map.of("a", 1)), List.of("q1")))
        .evaluate(new FakeEncoder(VECTORS), List.of(new VectorVariant(4, Precision.FLOAT32))));
    assertTrue(e.getMessage().contains("dimensions 4 exceeds"), e.getMessage());
  }
}

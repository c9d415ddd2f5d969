package io.embed4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.EmbeddingModel;
import io.embed4j.encode.Precision;
import io.embed4j.eval.data.BeirDataset;
import io.embed4j.eval.data.StsDataset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default model on shared data: nq-utd (800 documents, 80 queries, graded qrels with zeros) and
 * a slice of STS Benchmark test. Full SciFact/STSB reproduction runs are benchmarks (docs/benchmarks.md).
 */
class EndToEndTest {
  private static EmbeddingModel model;

  @TempDir Path cacheDir;

  @BeforeAll
  static void load() {
    model = EmbeddingModel.load("all-MiniLM-L6-v2");
  }

  @AfterAll
  static void close() {
    if (model != null) {
      model.close();
    }
  }

  @Test
  void nqUtdRetrievalIsStableAndTheSecondRunComesFromTheCache() {
    BeirDataset data = BeirDataset.load(SharedData.require("datasets/nq-utd"), "test");
    CachingEncoder encoder = new CachingEncoder(new ModelEncoder(model), new EmbeddingCache(cacheDir));
    List<VectorVariant> variants = VectorVariant.grid(List.of(384, 128), List.of(Precision.FLOAT32, Precision.BINARY));
    RetrievalEvaluator evaluator = new RetrievalEvaluator(data);
    EvalResult cold = evaluator.evaluate(encoder, variants);
    EvalResult warm = evaluator.evaluate(encoder, variants);
    assertEquals(0.0, cold.info().get("corpus_cache_hit"));
    assertEquals(1.0, warm.info().get("corpus_cache_hit"));
    for (VectorVariant v : variants) {
      assertEquals(cold.scores().get(v).get("ndcg_at_10"), warm.scores().get(v).get("ndcg_at_10"), 0.0, v.label());
    }
    Map<String, Double> full = cold.scores().get(variants.get(0));
    // Measured with this pipeline (see docs/evaluation.md); a change here means the pipeline changed.
    assertEquals(0.7824, full.get("ndcg_at_10"), 0.002);
    assertEquals(80.0, cold.info().get("judged_queries"));
    double binary128 = cold.scores().get(new VectorVariant(128, Precision.BINARY)).get("ndcg_at_10");
    assertTrue(binary128 < full.get("ndcg_at_10") && binary128 > 0.4, "128-bit codes lose some quality: " + binary128);
  }

  @Test
  void stsBenchmarkSliceCorrelatesWithGold() {
    StsDataset all = StsDataset.load(SharedData.require("datasets/stsbenchmark/sts-test.csv"));
    int n = 300;
    StsDataset slice = new StsDataset("sts-test[:300]", all.format(), all.sentences1().subList(0, n), all.sentences2().subList(0, n),
        java.util.Arrays.copyOf(all.scores(), n));
    Map<String, Double> m = new StsEvaluator(slice).evaluate(new ModelEncoder(model));
    assertTrue(m.get("cosine_spearman") > 0.75, m.toString());
    assertEquals(m.get("cosine_spearman"), m.get("main_score"));
    // Unit vectors: cosine and dot rank pairs identically.
    assertEquals(m.get("cosine_spearman"), m.get("dot_spearman"), 1e-6);
  }
}

package io.embed4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.encode.Precision;
import io.embed4j.eval.data.StsDataset;
import io.embed4j.vector.SimilarityFunction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StsEvaluatorTest {
  @Test
  void correlatesEverySimilarityWithGoldAndMainScoreIsCosineSpearman() {
    // Pairs whose cosine falls as the gold score falls: every Spearman is 1.
    float[][] a = {{1, 0}, {1, 0}, {1, 0}, {1, 0}};
    float[][] b = {{1, 0}, {1, 0.5f}, {1, 2}, {0, 1}};
    double[] gold = {5, 4, 2, 0};
    for (float[] v : b) {
      io.embed4j.vector.VectorMath.normalizeInPlace(v);
    }
    Map<String, Double> m = StsEvaluator.scores(gold, a, b, SimilarityFunction.COSINE);
    for (String k : List.of("cosine_spearman", "dot_spearman", "euclidean_spearman", "manhattan_spearman", "spearman")) {
      assertEquals(1.0, m.get(k), 1e-12, k);
    }
    assertEquals(m.get("cosine_spearman"), m.get("main_score"));
    assertTrue(m.get("cosine_pearson") > 0.9 && m.get("cosine_pearson") < 1.0);
  }

  @Test
  void sentencesAreEncodedOnceAndVariantsShareThePass() {
    Map<String, float[]> vectors = Map.of(
        "s1", new float[] {1, 0, 0, 0}, "s2", new float[] {0.9f, 0.1f, 0, 0}, "s3", new float[] {0, 1, 0, 0}, "s4", new float[] {-1, 0.2f, 0, 0});
    StsDataset d = new StsDataset("toy", StsDataset.Format.JSONL, List.of("s1", "s1", "s1", "s2"), List.of("s2", "s3", "s4", "s3"),
        new double[] {5, 1, 0, 2});
    FakeEncoder enc = new FakeEncoder(vectors);
    EvalResult r = new StsEvaluator(d).evaluate(enc, VectorVariant.grid(List.of(4, 2), List.of(Precision.FLOAT32, Precision.INT8, Precision.BINARY)));
    assertEquals(4, enc.encodedTexts, "four distinct sentences");
    assertEquals(6, r.scores().size());
    assertEquals(1.0, r.mainScore(), 1e-12);
    Map<String, Double> binary = r.scores().get(new VectorVariant(2, Precision.BINARY));
    assertEquals(binary.get("hamming_spearman"), binary.get("main_score"));
    assertTrue(!binary.containsKey("cosine_spearman"));
    assertEquals(4.0, r.info().get("sentences"));
    assertEquals(4.0, r.info().get("pairs"));
  }
}

package io.embed4j.train.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.eval.data.BeirDataset;
import io.embed4j.train.TextEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dev evaluator with a one-hot embedder, so every score is known by hand. */
class RetrievalDevEvaluatorTest {
  // Text "t<k>" embeds as the one-hot vector e_k (k < 8); "m" as e_0 + e_1.
  static final TextEmbedder ONE_HOT = new TextEmbedder() {
    float[][] embed(List<String> texts) {
      float[][] v = new float[texts.size()][8];
      for (int i = 0; i < v.length; i++) {
        if (texts.get(i).equals("m")) {
          v[i][0] = 1f;
          v[i][1] = 1f;
        } else {
          v[i][Integer.parseInt(texts.get(i).substring(1))] = 1f;
        }
      }
      return v;
    }

    @Override
    public float[][] embedQueries(List<String> q) {
      return embed(q);
    }

    @Override
    public float[][] embedDocuments(List<String> d) {
      return embed(d);
    }

    @Override
    public int dimensions() {
      return 8;
    }
  };

  static BeirDataset data() {
    List<String> ids = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (int k = 0; k < 8; k++) {
      ids.add("d" + k);
      texts.add("t" + k);
    }
    ids.add("dm");
    texts.add("m");
    // q1 ranks its relevant d1 first; q0 ranks d0 (not relevant) first and its relevant dm second.
    return new BeirDataset("toy", ids, texts, List.of("q0", "q1"), List.of("t0", "t1"),
        Map.of("q0", Map.of("dm", 1), "q1", Map.of("d1", 1)));
  }

  @Test
  void scoresComeFromTheEvaluationModule() {
    Map<String, Double> m = new RetrievalDevEvaluator(data(), 0, 1).evaluate(ONE_HOT);
    assertEquals((0.5 + 1.0) / 2, m.get("mrr_at_10"), 1e-9);
    assertEquals(1.0, m.get("recall_at_10"), 1e-9);
    assertEquals((1 / (Math.log(3) / Math.log(2)) + 1.0) / 2, m.get("ndcg_at_10"), 1e-6);
  }

  @Test
  void aSubCorpusKeepsEveryJudgedDocument() {
    RetrievalDevEvaluator e = new RetrievalDevEvaluator(data(), 4, 1);
    assertEquals(4, e.corpusSize());
    BeirDataset sub = RetrievalDevEvaluator.subset(data(), 4, 1);
    assertTrue(sub.docIds().containsAll(List.of("dm", "d1")));
  }
}

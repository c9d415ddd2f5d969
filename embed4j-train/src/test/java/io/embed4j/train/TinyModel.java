package io.embed4j.train;

import io.embed4j.model.ModelConfig;
import io.embed4j.model.ModelFiles;
import io.embed4j.model.ModelResolver;
import io.embed4j.pooling.PoolingMode;
import io.embed4j.torch.BertConfig;
import io.embed4j.torch.BertEncoder;
import io.embed4j.torch.ModelWeights;
import io.embed4j.train.data.TrainingExample;
import io.embed4j.train.data.TrainingSet;
import io.embed4j.vector.SimilarityFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A tiny random BERT with the real MiniLM tokenizer, for fast training tests. */
public final class TinyModel {
  private TinyModel() {}

  public static BertConfig config(double dropout) {
    return new BertConfig(30522, 16, 2, 2, 32, 64, 2, 1e-12, dropout, dropout);
  }

  public static TrainingRun open(double dropout, long seed) {
    ModelFiles mini = ModelResolver.resolve("all-MiniLM-L6-v2");
    ModelConfig mc = new ModelConfig("tiny", List.of(PoolingMode.MEAN), true, List.of(), true, 32, false, Map.of(), null, null, null,
        SimilarityFunction.COSINE);
    ModelFiles files = new ModelFiles(mini.onnxModel(), mini.tokenizer(), mc, "tiny");
    BertConfig c = config(dropout);
    return new TrainingRun(files, new ModelWeights(c, BertEncoder.randomWeights(c, seed), null, "random"), 32);
  }

  /** Pairs of short made-up texts: question-like anchors, answer-like positives, all distinct. */
  public static TrainingSet pairs(int n) {
    String[] topics = {"apples", "rivers", "engines", "violins", "glaciers", "proteins", "satellites", "bridges", "volcanoes", "orchids",
        "compilers", "tides", "enzymes", "comets", "deserts", "bees"};
    List<TrainingExample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String t = topics[i % topics.length] + (i >= topics.length ? " " + i : "");
      out.add(new TrainingExample(List.of("what do we know about " + t + "?", "a short note on " + t + " and why " + t + " matter")));
    }
    return new TrainingSet("tiny", List.of("anchor", "positive"), out, false);
  }
}

package io.embed4j.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.EmbeddingModel;
import io.embed4j.backend.BackendOptions;
import io.embed4j.model.ModelResolver;
import io.embed4j.modules.SafeTensors;
import io.embed4j.train.data.TrainingExample;
import io.embed4j.train.data.TrainingSet;
import io.embed4j.train.loss.MultipleNegativesRankingLoss;
import io.embed4j.vector.VectorMath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Train a catalog model a little, export it, and load it back on both inference paths. */
class ExportTest {
  @TempDir Path tmp;

  static final List<String> TEXTS = List.of("Aspirin reduces the risk of heart attacks.", "Glaciers retreat as the climate warms.",
      "how do vaccines work", "x");

  @Test
  void anExportedModelGivesTheTrainedEmbeddingsOnBothPaths() throws Exception {
    TrainingSet data = new TrainingSet("t", List.of("anchor", "positive"), List.of(
        new TrainingExample(List.of("aspirin heart", "Aspirin lowers the risk of myocardial infarction.")),
        new TrainingExample(List.of("glacier melt", "Mountain glaciers are shrinking worldwide.")),
        new TrainingExample(List.of("vaccine immunity", "Vaccines train the immune system.")),
        new TrainingExample(List.of("sleep memory", "Sleep consolidates memories."))), false);
    Path out = tmp.resolve("model");
    float[][] trained;
    SafeTensors.Tensor before;
    try (TrainingRun run = TrainingRun.open("all-MiniLM-L6-v2", 32)) {
      before = run.encoder().weights().get("encoder.layer.0.attention.self.query.weight");
      run.trainer(new MultipleNegativesRankingLoss(), TrainConfig.defaults().withEpochs(2).withBatchSize(4).withLearningRate(1e-3)
          .withMaxSeqLength(32)).train(data);
      trained = run.embedder().embedDocuments(TEXTS);
      run.export(out);
    }
    for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "modules.json", "1_Pooling/config.json",
        "config_sentence_transformers.json", "sentence_bert_config.json", "onnx/model.onnx", "vocab.txt")) {
      assertTrue(Files.exists(out.resolve(f)), "missing " + f);
    }
    float[] after = SafeTensors.read(out.resolve("model.safetensors")).get("encoder.layer.0.attention.self.query.weight").values();
    assertTrue(VectorMath.cosine(before.values(), after) < 0.99999f, "training should have moved the weights");
    for (String backend : List.of("onnxruntime", "pytorch")) {
      try (EmbeddingModel m = EmbeddingModel.load(ModelResolver.resolve(out.toString()), BackendOptions.defaults(), backend)) {
        float[][] v = m.encode(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
          float cos = VectorMath.cosine(trained[i], v[i]);
          assertTrue(cos >= 0.99999f, backend + " text " + i + ": cosine " + cos);
        }
      }
    }
  }
}

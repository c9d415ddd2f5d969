package io.embed4j.train.cross;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.embed4j.model.ModelFiles;
import io.embed4j.model.ModelResolver;
import io.embed4j.rerank.Activation;
import io.embed4j.rerank.CrossEncoder;
import io.embed4j.rerank.CrossEncoderOptions;
import io.embed4j.rerank.TextPair;
import io.embed4j.tokenize.PairTokenizer;
import io.embed4j.tokenize.TextTokenizer;
import io.embed4j.tokenize.TokenizedText;
import io.embed4j.torch.Batches;
import io.embed4j.torch.ModelWeights;
import io.embed4j.torch.Torch;
import io.embed4j.train.TrainResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cross-encoder from all-MiniLM-L6-v2's weights learns a toy relevance task, and the exported ONNX
 * directory scores pairs exactly as the trained PyTorch model does.
 */
class CrossEncoderTrainingTest {
  @TempDir Path tmp;

  static final List<PairGroup> GROUPS = List.of(
      new PairGroup("aspirin heart", List.of("Aspirin lowers the risk of heart attacks.", "Glaciers are shrinking.", "Bees make honey."),
          List.of(1f, 0f, 0f)),
      new PairGroup("glacier melt", List.of("Mountain glaciers are shrinking worldwide.", "Aspirin thins the blood.", "Sleep helps memory."),
          List.of(1f, 0f, 0f)),
      new PairGroup("vaccine immunity", List.of("Vaccines train the immune system.", "Bees make honey.", "Rivers flow to the sea."),
          List.of(1f, 0f, 0f)),
      new PairGroup("sleep memory", List.of("Sleep consolidates memories.", "Vaccines contain antigens.", "Glaciers carve valleys."),
          List.of(1f, 0f, 0f)));

  @Test
  void trainingLowersTheLossAndTheExportScoresLikeTheTrainedModel() throws Exception {
    ModelFiles files = ModelResolver.resolve("all-MiniLM-L6-v2");
    ModelWeights weights = ModelWeights.load(files);
    List<TextPair> probe = List.of(TextPair.of("aspirin heart", "Aspirin lowers the risk of heart attacks."),
        TextPair.of("sleep memory", "Bees make honey."), TextPair.of("x", ""));
    Path out = tmp.resolve("ce");
    float[] torchLogits;
    try (TrainableCrossEncoder model = TrainableCrossEncoder.of(weights, 3); TextTokenizer tokenizer = TextTokenizer.load(files.tokenizer())) {
      PairTokenizer pairs = new PairTokenizer(tokenizer);
      CrossEncoderTrainer.Config config = new CrossEncoderTrainer.Config(6, 6, 1e-4, 0.1, 0.01, 1.0, 42, 32, ScoreLoss.BINARY_CROSS_ENTROPY, 0);
      TrainResult r = new CrossEncoderTrainer(model, pairs, config).train(GROUPS);
      assertEquals(12, r.totalSteps(), "12 pairs in batches of 6, 6 epochs");
      double first = (r.steps().get(0).loss() + r.steps().get(1).loss()) / 2;
      double last = (r.steps().get(10).loss() + r.steps().get(11).loss()) / 2;
      // Predicting 1/3 for every pair (one positive in three) would give -(ln(1/3) + 2 ln(2/3)) / 3 = 0.637.
      assertTrue(last < first && last < 0.6, "loss " + first + " -> " + last);

      List<TokenizedText> rows = new ArrayList<>();
      for (TextPair p : probe) {
        rows.add(pairs.tokenize(p.first(), p.second(), 32));
      }
      try (NDManager m = Torch.engine().newBaseManager()) {
        torchLogits = model.logits(m, Batches.pad(rows, 32)).toFloatArray();
      }
      CrossEncoderExporter.export(model, weights, files.tokenizer(), null, Activation.SIGMOID, 32, out);
    }
    for (String f : List.of("config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx", "model.safetensors")) {
      assertTrue(Files.exists(out.resolve(f)), "missing " + f);
    }
    try (CrossEncoder ce = CrossEncoder.load(out.toString(), CrossEncoderOptions.defaults().withActivation(Activation.IDENTITY))) {
      assertEquals(32, ce.maxLength());
      assertArrayEquals(torchLogits, ce.predict(probe), 1e-4f, "ONNX " + Arrays.toString(ce.predict(probe)) + " vs torch " + Arrays.toString(torchLogits));
    }
    try (CrossEncoder ce = CrossEncoder.load(out.toString())) {
      assertEquals(Activation.SIGMOID, ce.config().activation());
      float[] s = ce.predict(probe);
      assertTrue(s[0] > s[1], "the trained model prefers the relevant pair: " + Arrays.toString(s));
    }
  }

  @Test
  void listwiseBatchesHoldWholeGroupsPositiveFirst() throws Exception {
    CrossEncoderTrainer.Config config = new CrossEncoderTrainer.Config(2, 6, 1e-4, 0.1, 0.01, 1.0, 42, 32, ScoreLoss.LISTWISE, 0);
    CrossEncoderTrainer t = new CrossEncoderTrainer(null, null, config);
    List<List<CrossEncoderTrainer.Pair>> batches = t.schedule(GROUPS);
    assertEquals(4, batches.size(), "2 groups of 3 per step, 2 steps per epoch");
    for (List<CrossEncoderTrainer.Pair> b : batches) {
      assertEquals(6, b.size());
      for (int i = 0; i < b.size(); i++) {
        assertEquals(i % 3, b.get(i).doc());
        assertEquals(b.get(i - i % 3).group(), b.get(i).group());
      }
    }
  }

  @Test
  void aRunStoppedEarlyResumesOnTheSamePath() throws Exception {
    ModelFiles files = ModelResolver.resolve("all-MiniLM-L6-v2");
    ModelWeights weights = ModelWeights.load(files);
    CrossEncoderTrainer.Config config = new CrossEncoderTrainer.Config(2, 6, 1e-4, 0.1, 0.01, 1.0, 42, 32, ScoreLoss.LISTWISE, 100);
    List<Double> straight = new ArrayList<>();
    List<Double> resumed = new ArrayList<>();
    try (TextTokenizer tokenizer = TextTokenizer.load(files.tokenizer())) {
      PairTokenizer pairs = new PairTokenizer(tokenizer);
      try (TrainableCrossEncoder model = TrainableCrossEncoder.of(weights, 3)) {
        new CrossEncoderTrainer(model, pairs, config).train(GROUPS).steps().forEach(s -> straight.add(s.loss()));
      }
      Path checkpoints = tmp.resolve("checkpoints");
      try (TrainableCrossEncoder model = TrainableCrossEncoder.of(weights, 3)) {
        TrainResult r = new CrossEncoderTrainer(model, pairs, config).checkpoints(checkpoints).stopAfter(2).train(GROUPS);
        assertEquals(2, r.steps().size(), "stopped after step 2 of 4");
      }
      try (TrainableCrossEncoder model = TrainableCrossEncoder.of(weights, 3)) {
        TrainResult r = new CrossEncoderTrainer(model, pairs, config).checkpoints(checkpoints).train(GROUPS);
        assertEquals(2, r.startStep(), "resumed where the first run stopped");
        r.steps().forEach(s -> resumed.add(s.loss()));
      }
    }
    assertEquals(4, straight.size());
    assertEquals(4, resumed.size());
    for (int i = 0; i < 4; i++) {
      assertEquals(straight.get(i), resumed.get(i), 1e-3, "step " + (i + 1) + ": " + straight + " vs " + resumed);
    }
  }
}

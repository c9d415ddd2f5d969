package io.embed4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.modules.SafeTensors;
import io.embed4j.train.data.TrainingSet;
import io.embed4j.train.loss.MultipleNegativesRankingLoss;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer on a tiny random model: it learns, it repeats, it resumes, GradCache changes nothing. */
class TrainerTest {
  @TempDir Path tmp;

  static TrainConfig config(int epochs, int batch) {
    return TrainConfig.defaults().withEpochs(epochs).withBatchSize(batch).withLearningRate(1e-3).withWarmupRatio(0.1)
        .withMaxSeqLength(32);
  }

  static double maxDifference(Map<String, SafeTensors.Tensor> a, Map<String, SafeTensors.Tensor> b) {
    double worst = 0;
    for (String k : a.keySet()) {
      float[] x = a.get(k).values();
      float[] y = b.get(k).values();
      for (int i = 0; i < x.length; i++) {
        worst = Math.max(worst, Math.abs(x[i] - y[i]));
      }
    }
    return worst;
  }

  @Test
  void aTinyModelOverfitsATinyDataset() {
    TrainingSet data = TinyModel.pairs(8);
    try (TrainingRun run = TinyModel.open(0.0, 1)) {
      TrainResult r = run.trainer(new MultipleNegativesRankingLoss(), config(30, 8).withLearningRate(3e-3)).train(data);
      double first = r.steps().get(0).loss();
      double last = r.steps().get(r.steps().size() - 1).loss();
      assertTrue(first > 1.5, "an untrained model guesses among 8: loss " + first);
      assertTrue(last < 0.05, "after 30 epochs the loss should be near 0, was " + last);
      float[][] q = run.embedder().embedQueries(data.examples().stream().map(e -> e.texts().get(0)).toList());
      float[][] d = run.embedder().embedDocuments(data.examples().stream().map(e -> e.texts().get(1)).toList());
      for (int i = 0; i < q.length; i++) {
        int best = 0;
        for (int j = 1; j < d.length; j++) {
          if (dot(q[i], d[j]) > dot(q[i], d[best])) {
            best = j;
          }
        }
        assertEquals(i, best, "query " + i + " should retrieve its own positive");
      }
    }
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void theSameSeedRepeatsARunExactly() {
    TrainingSet data = TinyModel.pairs(12);
    Map<String, SafeTensors.Tensor> a;
    Map<String, SafeTensors.Tensor> b;
    try (TrainingRun run = TinyModel.open(0.1, 1)) {
      run.trainer(new MultipleNegativesRankingLoss(), config(2, 4)).train(data);
      a = run.encoder().weights();
    }
    try (TrainingRun run = TinyModel.open(0.1, 1)) {
      run.trainer(new MultipleNegativesRankingLoss(), config(2, 4)).train(data);
      b = run.encoder().weights();
    }
    assertEquals(0.0, maxDifference(a, b));
  }

  @Test
  void resumingFromACheckpointGivesTheWeightsOfAnUninterruptedRun() {
    TrainingSet data = TinyModel.pairs(12);
    TrainConfig cfg = config(2, 4).withCheckpointSteps(2); // 6 steps
    Map<String, SafeTensors.Tensor> uninterrupted;
    try (TrainingRun run = TinyModel.open(0.1, 1)) {
      run.trainer(new MultipleNegativesRankingLoss(), cfg).checkpoints(tmp.resolve("a")).train(data);
      uninterrupted = run.encoder().weights();
    }
    Path dir = tmp.resolve("b");
    try (TrainingRun run = TinyModel.open(0.1, 1)) {
      Trainer t = run.trainer(new MultipleNegativesRankingLoss(), cfg).checkpoints(dir).listener(new TrainListener() {
        @Override
        public void onStep(StepLog log, int total) {
          if (log.step() == 3) {
            throw new IllegalStateException("simulated crash after step 3");
          }
        }
      });
      assertThrows(IllegalStateException.class, () -> t.train(data));
    }
    assertEquals(2, Checkpoints.stepOf(Checkpoints.latest(dir).orElseThrow()));
    try (TrainingRun run = TinyModel.open(0.1, 99)) { // different initial weights: all state must come from the checkpoint
      TrainResult r = run.trainer(new MultipleNegativesRankingLoss(), cfg).checkpoints(dir).train(data);
      assertEquals(2, r.startStep());
      assertEquals(6, r.steps().size(), "the history before the checkpoint is kept");
      assertTrue(maxDifference(uninterrupted, run.encoder().weights()) < 1e-6, "resumed weights differ");
    }
  }

  @Test
  void gradCacheGivesTheSameUpdatesAsPlainBackpropagation() {
    TrainingSet data = TinyModel.pairs(12);
    Map<String, SafeTensors.Tensor> plain;
    try (TrainingRun run = TinyModel.open(0.0, 1)) {
      run.trainer(new MultipleNegativesRankingLoss(), config(1, 12)).train(data);
      plain = run.encoder().weights();
    }
    try (TrainingRun run = TinyModel.open(0.0, 1)) {
      TrainResult r = run.trainer(new MultipleNegativesRankingLoss(), config(1, 12).withMiniBatchSize(5)).train(data);
      assertEquals(2, r.forwardPasses());
      assertTrue(maxDifference(plain, run.encoder().weights()) < 1e-5, "GradCache changed the update");
    }
  }

  @Test
  void aCheckpointOfAnotherRunIsRefused() {
    TrainingSet data = TinyModel.pairs(8);
    Path dir = tmp.resolve("c");
    try (TrainingRun run = TinyModel.open(0.0, 1)) {
      run.trainer(new MultipleNegativesRankingLoss(), config(1, 4).withCheckpointSteps(1)).checkpoints(dir).train(data);
    }
    try (TrainingRun run = TinyModel.open(0.0, 1)) {
      var e = assertThrows(io.embed4j.Embed4jException.InvalidInput.class,
          () -> run.trainer(new MultipleNegativesRankingLoss(), config(1, 4).withSeed(7).withCheckpointSteps(1)).checkpoints(dir).train(data));
      assertTrue(e.getMessage().contains("different run"), e.getMessage());
    }
  }
}

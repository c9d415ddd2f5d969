package io.embed4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import io.embed4j.Embed4jException;
import io.embed4j.modules.SafeTensors;
import io.embed4j.train.loss.EmbeddingLoss;
import io.embed4j.train.loss.MultipleNegativesRankingLoss;
import io.embed4j.train.report.TrainReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A step whose loss is finite but whose gradients are not is skipped instead of poisoning the weights. */
class NonFiniteGradientTest {
  /** MNRL plus sqrt(x - x): adds 0 to the loss, but its gradient is inf · 0 = NaN, on the chosen calls. */
  static final class PoisonedLoss implements EmbeddingLoss {
    private final EmbeddingLoss inner = new MultipleNegativesRankingLoss();
    private final Set<Integer> poisonedCalls;
    private int calls;

    PoisonedLoss(Set<Integer> poisonedCalls) {
      this.poisonedCalls = poisonedCalls;
    }

    @Override
    public NDArray compute(List<NDArray> columns, NDArray labels) {
      NDArray loss = inner.compute(columns, labels);
      if (!poisonedCalls.contains(++calls)) {
        return loss;
      }
      NDArray anchors = columns.get(0);
      return loss.add(anchors.sub(anchors).sum().sqrt());
    }

    @Override
    public int minColumns() {
      return 2;
    }

    @Override
    public String name() {
      return "poisoned-mnrl";
    }
  }

  @Test
  void aStepWithNonFiniteGradientsIsSkippedAndTrainingGoesOn(@TempDir Path tmp) throws Exception {
    List<Integer> skipped = new ArrayList<>();
    List<String> where = new ArrayList<>();
    try (TrainingRun run = TinyModel.open(0.0, 1)) {
      TrainResult r = run.trainer(new PoisonedLoss(Set.of(2)), TrainerTest.config(1, 4))
          .listener(new TrainListener() {
            @Override
            public void onSkippedStep(int step, List<String> parameters) {
              skipped.add(step);
              where.addAll(parameters);
            }
          })
          .train(TinyModel.pairs(16));
      assertEquals(4, r.steps().size());
      assertEquals(List.of(2), skipped);
      assertFalse(where.isEmpty(), "the skipped step names the parameters with non-finite gradients");
      assertEquals(java.util.Map.of(2, where), r.skippedSteps(), "the result keeps every name, for the report");
      TrainReport.write(tmp, r, java.util.Map.of());
      com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(tmp.resolve("training-report.json").toFile());
      assertEquals(where.size(), report.path("skipped_steps").path("2").size(), "training-report.json names them all: " + report.path("skipped_steps"));
      for (SafeTensors.Tensor t : run.encoder().weights().values()) {
        for (float v : t.values()) {
          assertTrue(Float.isFinite(v), "every weight stays finite");
        }
      }
      assertTrue(Double.isFinite(r.steps().get(3).loss()), "steps after the skipped one train normally");
    }
  }

  @Test
  void gradientsThatStayNonFiniteStopTheRunWithAMessage() {
    try (TrainingRun run = TinyModel.open(0.0, 1)) {
      Trainer trainer = run.trainer(new PoisonedLoss(Set.of(1, 2, 3, 4)), TrainerTest.config(1, 4));
      Embed4jException e = assertThrows(Embed4jException.class, () -> trainer.train(TinyModel.pairs(16)));
      assertTrue(e.getMessage().contains("not finite for 3 steps in a row"), e.getMessage());
      assertTrue(e.getMessage().contains("lower --lr"), e.getMessage());
    }
  }
}

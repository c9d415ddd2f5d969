package io.embed4j.train;

import io.embed4j.train.loss.MultipleNegativesRankingLoss;
import java.nio.file.Path;

/** A tiny training run for {@link KillTest}'s child JVM: prints each finished step, checkpoints every 2 steps. */
public final class KillableRun {
  private KillableRun() {}

  static final TrainConfig CONFIG = TrainerTest.config(4, 4).withCheckpointSteps(2); // 12 steps

  public static void main(String[] args) {
    try (TrainingRun run = TinyModel.open(0.1, 1)) {
      run.trainer(new MultipleNegativesRankingLoss(), CONFIG).checkpoints(Path.of(args[0])).listener(new TrainListener() {
        @Override
        public void onStep(StepLog log, int total) {
          System.out.println("step " + log.step());
          System.out.flush();
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }).train(TinyModel.pairs(12));
    }
  }
}

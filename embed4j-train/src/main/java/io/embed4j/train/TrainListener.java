package io.embed4j.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Hears what the trainer does: progress bars, logs, tests. Every method has an empty default. */
public interface TrainListener {
  /** One optimizer step: its loss, rate, gradient norm (before clipping), tokens (real and padded), texts embedded, time. */
  record StepLog(int step, int epoch, double loss, double learningRate, double gradNorm, long tokens, long paddedTokens,
      long sequences, double seconds) {}

  /** One dev-set evaluation after {@code step} steps. */
  record EvalLog(int step, Map<String, Double> metrics) {}

  default void onStart(int totalSteps, int startStep) {}

  default void onStep(StepLog log, int totalSteps) {}

  default void onEval(EvalLog log) {}

  default void onCheckpoint(int step, Path dir) {}

  /** A step whose gradients held NaN or infinity was skipped (no update); {@code parameters} name where. */
  default void onSkippedStep(int step, List<String> parameters) {}

  /** The one line progress output shows for a skipped step. */
  static String skippedStepMessage(int step, List<String> parameters) {
    return "step " + step + " skipped: gradients not finite in " + parameters.size() + " parameter(s), first "
        + parameters.subList(0, Math.min(3, parameters.size()));
  }
}

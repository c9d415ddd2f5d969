package io.embed4j.train;

import java.util.List;
import java.util.Map;

/**
 * What a training run did.
 *
 * @param steps log of every step (including those replayed from a checkpoint's history)
 * @param evals dev-set evaluations
 * @param startStep the step the run started at (0, or where it resumed)
 * @param totalSteps steps of the whole run
 * @param seconds wall time of the steps this process ran (evaluation and checkpoints excluded)
 * @param tokens real (unpadded) tokens this process embedded in training steps
 * @param paddedTokens tokens including padding: the encoder's work
 * @param sequences texts embedded (each text of each column of each step once)
 * @param forwardPasses forward passes per text per step (1, or 2 with GradCache)
 * @param skippedSteps steps this process skipped for non-finite gradients, each with every parameter
 *     whose gradient was not finite (the report keeps them all: where a NaN starts tells its cause)
 */
public record TrainResult(List<TrainListener.StepLog> steps, List<TrainListener.EvalLog> evals, int startStep, int totalSteps,
    double seconds, long tokens, long paddedTokens, long sequences, int forwardPasses, Map<Integer, List<String>> skippedSteps) {
  public TrainResult {
    skippedSteps = Map.copyOf(skippedSteps);
  }

  /** Mean padded length of the token batches. */
  public double meanPaddedLength() {
    return sequences > 0 ? (double) paddedTokens / sequences : 0;
  }

  public double tokensPerSecond() {
    return seconds > 0 ? tokens / seconds : 0;
  }
}

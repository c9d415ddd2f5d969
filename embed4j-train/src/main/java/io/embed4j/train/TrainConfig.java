package io.embed4j.train;

/**
 * How to train. Defaults ({@link #defaults()}) suit a few thousand pairs with in-batch negatives.
 *
 * @param epochs passes over the data
 * @param batchSize examples per step (in-batch negatives grow with it)
 * @param learningRate peak AdamW learning rate
 * @param warmupRatio share of the steps spent warming the rate up from 0
 * @param weightDecay AdamW's decoupled decay (not on biases and LayerNorm weights)
 * @param maxGradNorm clip the global gradient norm to this (0 = no clipping)
 * @param seed data order, dropout masks and everything random: the same seed repeats a run
 * @param maxSeqLength tokens per text at most, special tokens included
 * @param miniBatchSize GradCache chunk size: embed in chunks of this many texts without keeping the
 *     graph, so memory no longer grows with the batch (0 = off)
 * @param evalSteps evaluate on the dev set every this many steps (0 = only at the end)
 * @param checkpointSteps write a checkpoint every this many steps (0 = none)
 * @param checkpointsKept how many recent checkpoints to keep
 */
public record TrainConfig(
    int epochs,
    int batchSize,
    double learningRate,
    double warmupRatio,
    double weightDecay,
    double maxGradNorm,
    long seed,
    int maxSeqLength,
    int miniBatchSize,
    int evalSteps,
    int checkpointSteps,
    int checkpointsKept) {

  public TrainConfig {
    if (epochs < 1) {
      throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
    }
    if (batchSize < 2) {
      throw new IllegalArgumentException("--batch-size must be >= 2 (in-batch negatives need company), got " + batchSize);
    }
    if (!(learningRate > 0) || learningRate > 1) {
      throw new IllegalArgumentException("--lr must be in (0, 1], got " + learningRate);
    }
    if (warmupRatio < 0 || warmupRatio > 1) {
      throw new IllegalArgumentException("--warmup-ratio must be in [0, 1], got " + warmupRatio);
    }
    if (weightDecay < 0 || maxGradNorm < 0) {
      throw new IllegalArgumentException("--weight-decay and --max-grad-norm must be >= 0, got " + weightDecay + " and " + maxGradNorm);
    }
    if (maxSeqLength < 3) {
      throw new IllegalArgumentException("--max-seq-length must be >= 3, got " + maxSeqLength);
    }
    if (miniBatchSize < 0 || evalSteps < 0 || checkpointSteps < 0 || checkpointsKept < 1) {
      throw new IllegalArgumentException("--mini-batch-size, --eval-steps and --checkpoint-steps must be >= 0 and checkpoints kept >= 1");
    }
  }

  public static TrainConfig defaults() {
    return new TrainConfig(3, 32, 5e-5, 0.1, 0.01, 1.0, 42, 256, 0, 0, 100, 2);
  }

  public TrainConfig withEpochs(int v) {
    return new TrainConfig(v, batchSize, learningRate, warmupRatio, weightDecay, maxGradNorm, seed, maxSeqLength, miniBatchSize, evalSteps, checkpointSteps, checkpointsKept);
  }

  public TrainConfig withBatchSize(int v) {
    return new TrainConfig(epochs, v, learningRate, warmupRatio, weightDecay, maxGradNorm, seed, maxSeqLength, miniBatchSize, evalSteps, checkpointSteps, checkpointsKept);
  }

  public TrainConfig withLearningRate(double v) {
    return new TrainConfig(epochs, batchSize, v, warmupRatio, weightDecay, maxGradNorm, seed, maxSeqLength, miniBatchSize, evalSteps, checkpointSteps, checkpointsKept);
  }

  public TrainConfig withWarmupRatio(double v) {
    return new TrainConfig(epochs, batchSize, learningRate, v, weightDecay, maxGradNorm, seed, maxSeqLength, miniBatchSize, evalSteps, checkpointSteps, checkpointsKept);
  }

  public TrainConfig withWeightDecay(double v) {
    return new TrainConfig(epochs, batchSize, learningRate, warmupRatio, v, maxGradNorm, seed, maxSeqLength, miniBatchSize, evalSteps, checkpointSteps, checkpointsKept);
  }

  public TrainConfig withMaxGradNorm(double v) {
    return new TrainConfig(epochs, batchSize, learningRate, warmupRatio, weightDecay, v, seed, maxSeqLength, miniBatchSize, evalSteps, checkpointSteps, checkpointsKept);
  }

  public TrainConfig withSeed(long v) {
    return new TrainConfig(epochs, batchSize, learningRate, warmupRatio, weightDecay, maxGradNorm, v, maxSeqLength, miniBatchSize, evalSteps, checkpointSteps, checkpointsKept);
  }

  public TrainConfig withMaxSeqLength(int v) {
    return new TrainConfig(epochs, batchSize, learningRate, warmupRatio, weightDecay, maxGradNorm, seed, v, miniBatchSize, evalSteps, checkpointSteps, checkpointsKept);
  }

  public TrainConfig withMiniBatchSize(int v) {
    return new TrainConfig(epochs, batchSize, learningRate, warmupRatio, weightDecay, maxGradNorm, seed, maxSeqLength, v, evalSteps, checkpointSteps, checkpointsKept);
  }

  public TrainConfig withEvalSteps(int v) {
    return new TrainConfig(epochs, batchSize, learningRate, warmupRatio, weightDecay, maxGradNorm, seed, maxSeqLength, miniBatchSize, v, checkpointSteps, checkpointsKept);
  }

  public TrainConfig withCheckpointSteps(int v) {
    return new TrainConfig(epochs, batchSize, learningRate, warmupRatio, weightDecay, maxGradNorm, seed, maxSeqLength, miniBatchSize, evalSteps, v, checkpointsKept);
  }
}

package io.embed4j.train.cross;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.embed4j.Embed4jException;
import io.embed4j.backend.TokenBatch;
import io.embed4j.tokenize.PairTokenizer;
import io.embed4j.tokenize.TokenizedText;
import io.embed4j.torch.Batches;
import io.embed4j.torch.Torch;
import io.embed4j.train.AdamW;
import io.embed4j.train.Checkpoints;
import io.embed4j.train.LinearSchedule;
import io.embed4j.train.FiniteStepGuard;
import io.embed4j.train.TrainListener;
import io.embed4j.train.TrainResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Trains a {@link TrainableCrossEncoder} on query groups (a positive and its negatives): AdamW with
 * warm-up then linear decay, gradient clipping, checkpoints and resume, as the embedding
 * {@link io.embed4j.train.Trainer} does.
 *
 * <p>With binary cross-entropy the pairs of all groups are shuffled together and cut into batches of
 * {@code batchSize} pairs; with the listwise loss whole groups are shuffled and batched,
 * {@code batchSize / groupSize} groups per step. The order comes from the seed and the epoch, and each
 * step reseeds PyTorch's generator from (seed, step), so a resumed run follows the same path.
 */
public final class CrossEncoderTrainer {
  /**
   * Training settings.
   *
   * @param epochs passes over the data
   * @param batchSize pairs per step
   * @param learningRate peak rate of AdamW
   * @param warmupRatio share of steps warming up linearly
   * @param weightDecay AdamW's decoupled decay (not on biases and LayerNorm weights)
   * @param maxGradNorm clip the global gradient norm to this (0 = no clipping)
   * @param seed data order, dropout and head initialization
   * @param maxLength tokens per pair, truncated longest-first
   * @param loss binary cross-entropy or listwise
   * @param checkpointSteps write a checkpoint every N steps and at the end (0 = never)
   */
  public record Config(int epochs, int batchSize, double learningRate, double warmupRatio, double weightDecay, double maxGradNorm,
      long seed, int maxLength, ScoreLoss loss, int checkpointSteps) {
    public Config {
      if (epochs < 1 || batchSize < 2) {
        throw new IllegalArgumentException("epochs must be >= 1 and batch size >= 2, got " + epochs + " and " + batchSize);
      }
      if (!(learningRate > 0) || warmupRatio < 0 || warmupRatio >= 1 || weightDecay < 0 || maxGradNorm < 0) {
        throw new IllegalArgumentException("need lr > 0, 0 <= warmup < 1, weight decay >= 0, max grad norm >= 0");
      }
      if (maxLength < 8) {
        throw new IllegalArgumentException("max length must be >= 8, got " + maxLength);
      }
    }
  }

  private final TrainableCrossEncoder model;
  private final PairTokenizer pairs;
  private final Config config;
  private Path checkpointDir;
  private int stopAfter;
  private TrainListener listener = new TrainListener() {};

  public CrossEncoderTrainer(TrainableCrossEncoder model, PairTokenizer pairs, Config config) {
    this.model = model;
    this.pairs = pairs;
    this.config = config;
  }

  public CrossEncoderTrainer checkpoints(Path dir) {
    this.checkpointDir = dir;
    return this;
  }

  /**
   * Stops after step {@code n} (0 = at the end), checkpointing there; the learning-rate schedule still
   * spans the whole run, so a later run with a larger stop resumes on the same path.
   */
  public CrossEncoderTrainer stopAfter(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("stop step must be >= 0, got " + n);
    }
    this.stopAfter = n;
    return this;
  }

  public CrossEncoderTrainer listener(TrainListener l) {
    this.listener = l;
    return this;
  }

  /** A step's pairs: (group, document) indices, whole groups in order for the listwise loss. */
  record Pair(int group, int doc) {}

  /** The batches of every epoch, in order. */
  List<List<Pair>> schedule(List<PairGroup> groups) {
    List<List<Pair>> out = new ArrayList<>();
    int groupSize = groupSize(groups);
    for (int e = 0; e < config.epochs(); e++) {
      Random r = new Random(config.seed() * 31 + e);
      if (config.loss() == ScoreLoss.LISTWISE) {
        List<Integer> order = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
          if (groups.get(g).size() == groupSize) {
            order.add(g);
          }
        }
        Collections.shuffle(order, r);
        int perStep = Math.max(1, config.batchSize() / groupSize);
        for (int from = 0; from + perStep <= order.size(); from += perStep) {
          List<Pair> batch = new ArrayList<>();
          for (int g : order.subList(from, from + perStep)) {
            for (int d = 0; d < groupSize; d++) {
              batch.add(new Pair(g, d));
            }
          }
          out.add(batch);
        }
      } else {
        List<Pair> all = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
          for (int d = 0; d < groups.get(g).size(); d++) {
            all.add(new Pair(g, d));
          }
        }
        Collections.shuffle(all, r);
        for (int from = 0; from < all.size(); from += config.batchSize()) {
          List<Pair> batch = all.subList(from, Math.min(all.size(), from + config.batchSize()));
          if (batch.size() >= 2) {
            out.add(List.copyOf(batch));
          }
        }
      }
    }
    return out;
  }

  /** The listwise loss trains on the groups of the most common size (positive plus every mined negative). */
  static int groupSize(List<PairGroup> groups) {
    int[] counts = new int[groups.stream().mapToInt(PairGroup::size).max().orElse(0) + 1];
    for (PairGroup g : groups) {
      counts[g.size()]++;
    }
    int best = 0;
    for (int s = 1; s < counts.length; s++) {
      if (counts[s] >= counts[best]) {
        best = s;
      }
    }
    return best;
  }

  private String fingerprint(List<PairGroup> groups) {
    return config + "|" + groups.size() + "|" + groups.stream().mapToInt(PairGroup::size).sum() + "|" + model.encoder().config().layers()
        + "x" + model.encoder().config().hiddenSize();
  }

  public TrainResult train(List<PairGroup> groups) {
    List<List<Pair>> batches = schedule(groups);
    int total = batches.size();
    if (total == 0) {
      throw new Embed4jException.InvalidInput("too few training pairs for one batch (" + groups.size() + " groups)");
    }
    int groupSize = groupSize(groups);
    int stepsPerEpoch = Math.max(1, total / config.epochs());
    LinearSchedule lr = new LinearSchedule(config.learningRate(), (int) Math.ceil(config.warmupRatio() * total), total);
    List<TrainListener.StepLog> logs = new ArrayList<>();
    model.requireGradients();
    String fingerprint = fingerprint(groups);
    try (AdamW optimizer = new AdamW(model.parameters(), config.weightDecay())) {
      int start = 0;
      Optional<Path> latest = checkpointDir == null ? Optional.empty() : Checkpoints.latest(checkpointDir);
      if (latest.isPresent()) {
        Checkpoints.Loaded c = Checkpoints.read(latest.get());
        if (!c.state().path("fingerprint").asText().equals(fingerprint)) {
          throw new Embed4jException.InvalidInput(latest.get() + " belongs to a different run; use another output directory or remove the checkpoints");
        }
        model.loadWeights(c.weights());
        optimizer.restore(c.optimizer(), c.state().path("optimizer_steps").asLong());
        start = c.step();
        logs.addAll(Checkpoints.steps(c.state()));
      }
      listener.onStart(total, start);
      model.setTraining(true);
      double seconds = 0;
      long tokens = 0;
      long padded = 0;
      long sequences = 0;
      FiniteStepGuard guard = new FiniteStepGuard();
      int end = stopAfter > 0 ? Math.min(total, stopAfter) : total;
      for (int step = start; step < end; step++) {
        long t0 = System.nanoTime();
        List<Pair> batch = batches.get(step);
        TokenBatch tb = tokenize(groups, batch);
        float[] labels = new float[batch.size()];
        for (int i = 0; i < labels.length; i++) {
          labels[i] = groups.get(batch.get(i).group()).labels().get(batch.get(i).doc());
        }
        long s = config.seed() * 1_000_003L + step * 10_007L;
        Torch.engine().setRandomSeed((int) (s ^ (s >>> 32)));
        double value;
        try (NDManager m = Torch.engine().newBaseManager(); GradientCollector gc = Torch.engine().newGradientCollector()) {
          NDArray logits = model.logits(m, tb);
          NDArray l = config.loss().compute(logits, m.create(labels), groupSize);
          value = l.toType(DataType.FLOAT64, false).getDouble();
          gc.backward(l);
        }
        if (!Double.isFinite(value)) {
          throw new Embed4jException("the loss became " + value + " at step " + (step + 1) + "; lower --lr");
        }
        double norm = optimizer.clipGradients(config.maxGradNorm());
        double rate = lr.rate(step);
        guard.step(optimizer, norm, rate, step + 1, listener);
        double dt = (System.nanoTime() - t0) / 1e9;
        seconds += dt;
        tokens += tb.realTokens();
        padded += tb.paddedTokens();
        sequences += tb.size();
        TrainListener.StepLog log = new TrainListener.StepLog(step + 1, Math.min(config.epochs() - 1, step / stepsPerEpoch), value, rate, norm,
            tb.realTokens(), tb.paddedTokens(), tb.size(), dt);
        logs.add(log);
        listener.onStep(log, total);
        boolean last = step + 1 == end;
        if (checkpointDir != null && config.checkpointSteps() > 0 && ((step + 1) % config.checkpointSteps() == 0 || last)) {
          Path dir = Checkpoints.write(checkpointDir, step + 1, model.weights(), optimizer.state(),
              Checkpoints.state(step + 1, optimizer.steps(), fingerprint, logs), 2);
          listener.onCheckpoint(step + 1, dir);
        }
      }
      return new TrainResult(List.copyOf(logs), List.of(), start, total, seconds, tokens, padded, sequences, 1, guard.skipped());
    } finally {
      model.setTraining(false);
    }
  }

  private TokenBatch tokenize(List<PairGroup> groups, List<Pair> batch) {
    List<String> firsts = new ArrayList<>(batch.size());
    List<String> seconds = new ArrayList<>(batch.size());
    for (Pair p : batch) {
      PairGroup g = groups.get(p.group());
      firsts.add(g.query());
      seconds.add(g.documents().get(p.doc()));
    }
    TokenizedText[] t = pairs.tokenize(firsts, seconds, config.maxLength());
    return Batches.pad(Arrays.asList(t), config.maxLength());
  }
}

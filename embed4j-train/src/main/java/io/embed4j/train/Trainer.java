package io.embed4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.embed4j.Embed4jException;
import io.embed4j.backend.TokenBatch;
import io.embed4j.tokenize.TokenizedText;
import io.embed4j.torch.Batches;
import io.embed4j.torch.BertEncoder;
import io.embed4j.torch.Torch;
import io.embed4j.train.data.NoDuplicatesBatchSampler;
import io.embed4j.train.data.TrainingExample;
import io.embed4j.train.data.TrainingSet;
import io.embed4j.train.eval.DevEvaluator;
import io.embed4j.train.loss.EmbeddingLoss;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trains a {@link BertEncoder} with an {@link EmbeddingLoss}: batches without duplicate texts,
 * AdamW with warm-up then linear decay, gradient clipping, optional GradCache, dev-set evaluation,
 * checkpoints and resume.
 *
 * <p>Runs repeat: the batch order comes from the seed and the epoch, and each step reseeds
 * PyTorch's generator from (seed, step) before its forward passes, so dropout masks do not depend
 * on what ran before. A run resumed from a checkpoint (weights, AdamW moments, step) therefore
 * follows the same path as one never interrupted.
 *
 * <p>GradCache (Gao et al. 2021), when {@code miniBatchSize > 0}: (1) embed every column in chunks
 * without a graph; (2) compute the loss on those embeddings and its gradient with respect to them;
 * (3) embed each chunk again with a graph, reseeded so dropout repeats, and back-propagate
 * {@code sum(embedding · cached gradient)}. The parameter gradients equal the plain ones; memory
 * holds one chunk's graph at a time.
 */
public final class Trainer {
  private final BertEncoder encoder;
  private final TorchEmbedder embedder;
  private final EmbeddingLoss loss;
  private final TrainConfig config;
  private Path checkpointDir;
  private DevEvaluator evaluator;
  private TrainListener listener = new TrainListener() {};

  public Trainer(BertEncoder encoder, TorchEmbedder embedder, EmbeddingLoss loss, TrainConfig config) {
    this.encoder = encoder;
    this.embedder = embedder;
    this.loss = loss;
    this.config = config;
  }

  /** Writes checkpoints here and resumes from the latest one found here. */
  public Trainer checkpoints(Path dir) {
    this.checkpointDir = dir;
    return this;
  }

  public Trainer evaluator(DevEvaluator evaluator) {
    this.evaluator = evaluator;
    return this;
  }

  public Trainer listener(TrainListener listener) {
    this.listener = listener;
    return this;
  }

  /** Steps a run over this data takes. */
  public int totalSteps(TrainingSet data) {
    return schedule(data).size();
  }

  private List<int[]> schedule(TrainingSet data) {
    NoDuplicatesBatchSampler sampler = new NoDuplicatesBatchSampler(data, config.batchSize(), config.seed());
    List<int[]> all = new ArrayList<>();
    for (int e = 0; e < config.epochs(); e++) {
      for (int[] b : sampler.batches(e)) {
        if (b.length >= 2) { // a batch of one has no negatives
          all.add(b);
        }
      }
    }
    return all;
  }

  private String fingerprint(TrainingSet data) {
    return config.epochs() + "|" + config.batchSize() + "|" + config.learningRate() + "|" + config.warmupRatio() + "|"
        + config.weightDecay() + "|" + config.maxGradNorm() + "|" + config.seed() + "|" + config.maxSeqLength() + "|"
        + data.size() + "|" + data.columns() + "|" + loss.name() + "|" + encoder.config().layers() + "x" + encoder.config().hiddenSize();
  }

  public TrainResult train(TrainingSet data) {
    if (data.columns().size() < loss.minColumns()) {
      throw new Embed4jException.InvalidInput(data.source() + " has columns " + data.columns() + "; loss " + loss.name()
          + " needs at least " + loss.minColumns());
    }
    if (loss.needsLabels() && !data.labeled()) {
      throw new Embed4jException.InvalidInput(data.source() + " has no score/label field; loss " + loss.name() + " needs one per example");
    }
    List<int[]> batches = schedule(data);
    int total = batches.size();
    if (total == 0) {
      throw new Embed4jException.InvalidInput(data.source() + ": too few examples for one batch of two");
    }
    int stepsPerEpoch = total / config.epochs();
    LinearSchedule lr = new LinearSchedule(config.learningRate(), (int) Math.ceil(config.warmupRatio() * total), total);
    List<TrainListener.StepLog> stepLogs = new ArrayList<>();
    List<TrainListener.EvalLog> evalLogs = new ArrayList<>();
    encoder.requireGradients();
    String fingerprint = fingerprint(data);
    try (AdamW optimizer = new AdamW(encoder.parameters(), config.weightDecay())) {
      int start = 0;
      Optional<Path> latest = checkpointDir == null ? Optional.empty() : Checkpoints.latest(checkpointDir);
      if (latest.isPresent()) {
        Checkpoints.Loaded c = Checkpoints.read(latest.get());
        if (!c.state().path("fingerprint").asText().equals(fingerprint)) {
          throw new Embed4jException.InvalidInput(latest.get() + " belongs to a different run (" + c.state().path("fingerprint").asText()
              + " vs " + fingerprint + "); use another output directory or remove the checkpoints");
        }
        encoder.loadWeights(c.weights());
        optimizer.restore(c.optimizer(), c.state().path("optimizer_steps").asLong());
        start = c.step();
        readHistory(c.state(), stepLogs, evalLogs);
      }
      listener.onStart(total, start);
      encoder.setTraining(true);
      double seconds = 0;
      FiniteStepGuard guard = new FiniteStepGuard();
      long tokens = 0;
      long padded = 0;
      long sequences = 0;
      for (int step = start; step < total; step++) {
        long t0 = System.nanoTime();
        int[] batch = batches.get(step);
        long[] counts = new long[3];
        double value = config.miniBatchSize() > 0 ? cachedStep(data, batch, step, counts) : plainStep(data, batch, step, counts);
        if (!Double.isFinite(value)) {
          throw new Embed4jException("the loss became " + value + " at step " + (step + 1) + "; lower --lr");
        }
        double norm = optimizer.clipGradients(config.maxGradNorm());
        double rate = lr.rate(step);
        guard.step(optimizer, norm, rate, step + 1, listener);
        double dt = (System.nanoTime() - t0) / 1e9;
        seconds += dt;
        tokens += counts[0];
        padded += counts[1];
        sequences += counts[2];
        int epoch = stepsPerEpoch == 0 ? 0 : Math.min(config.epochs() - 1, step / Math.max(1, stepsPerEpoch));
        TrainListener.StepLog log = new TrainListener.StepLog(step + 1, epoch, value, rate, norm, counts[0], counts[1], counts[2], dt);
        stepLogs.add(log);
        listener.onStep(log, total);
        boolean last = step + 1 == total;
        if (evaluator != null && ((config.evalSteps() > 0 && (step + 1) % config.evalSteps() == 0) || last)) {
          evalLogs.add(evaluate(step + 1));
        }
        if (checkpointDir != null && config.checkpointSteps() > 0 && ((step + 1) % config.checkpointSteps() == 0 || last)) {
          ObjectNode state = state(step + 1, optimizer.steps(), fingerprint, stepLogs, evalLogs);
          Path dir = Checkpoints.write(checkpointDir, step + 1, encoder.weights(), optimizer.state(), state, config.checkpointsKept());
          listener.onCheckpoint(step + 1, dir);
        }
      }
      encoder.setTraining(false);
      return new TrainResult(List.copyOf(stepLogs), List.copyOf(evalLogs), start, total, seconds, tokens, padded, sequences,
          config.miniBatchSize() > 0 ? 2 : 1, guard.skipped());
    } finally {
      encoder.setTraining(false);
    }
  }

  /** Evaluates now (dropout off) and tells the listener. */
  public TrainListener.EvalLog evaluate(int step) {
    TrainListener.EvalLog e = new TrainListener.EvalLog(step, evaluator.evaluate(embedder));
    listener.onEval(e);
    return e;
  }

  private List<List<String>> columnTexts(TrainingSet data, int[] batch) {
    int columns = data.columns().size();
    List<List<String>> out = new ArrayList<>(columns);
    for (int c = 0; c < columns; c++) {
      List<String> texts = new ArrayList<>(batch.length);
      for (int i : batch) {
        texts.add(data.examples().get(i).texts().get(c));
      }
      out.add(texts);
    }
    return out;
  }

  private String promptFor(int column) {
    return column == 0 ? embedder.queryPrompt() : embedder.documentPrompt();
  }

  private NDArray labels(NDManager m, TrainingSet data, int[] batch) {
    if (!data.labeled()) {
      return null;
    }
    double[] v = new double[batch.length];
    for (int i = 0; i < batch.length; i++) {
      TrainingExample e = data.examples().get(batch[i]);
      v[i] = e.label();
    }
    return m.create(v).toType(encoder.dataType(), false);
  }

  private void seed(int step, int column, int chunk) {
    long s = config.seed() * 1_000_003L + step * 10_007L + column * 101L + chunk;
    Torch.engine().setRandomSeed((int) (s ^ (s >>> 32)));
  }

  private double plainStep(TrainingSet data, int[] batch, int step, long[] counts) {
    List<List<String>> texts = columnTexts(data, batch);
    try (NDManager m = Torch.engine().newBaseManager(); GradientCollector gc = Torch.engine().newGradientCollector()) {
      List<NDArray> embeddings = new ArrayList<>();
      for (int c = 0; c < texts.size(); c++) {
        TokenBatch tb = embedder.batch(texts.get(c), promptFor(c));
        counts[0] += tb.realTokens();
        counts[1] += tb.paddedTokens();
        counts[2] += tb.size();
        seed(step, c, 0);
        embeddings.add(encoder.sentenceEmbeddings(m, tb));
      }
      NDArray l = loss.compute(embeddings, labels(m, data, batch));
      double value = l.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
      gc.backward(l);
      return value;
    }
  }

  private double cachedStep(TrainingSet data, int[] batch, int step, long[] counts) {
    List<List<String>> texts = columnTexts(data, batch);
    int chunk = config.miniBatchSize();
    try (NDManager m = Torch.engine().newBaseManager()) {
      // (1) Embeddings without a graph, chunk by chunk.
      List<List<TokenBatch>> chunks = new ArrayList<>();
      List<NDArray> cached = new ArrayList<>();
      for (int c = 0; c < texts.size(); c++) {
        List<TokenizedText> tokens = embedder.tokenize(texts.get(c), promptFor(c));
        List<TokenBatch> parts = new ArrayList<>();
        List<NDArray> pieces = new ArrayList<>();
        for (int from = 0, k = 0; from < tokens.size(); from += chunk, k++) {
          TokenBatch tb = Batches.pad(tokens.subList(from, Math.min(tokens.size(), from + chunk)), config.maxSeqLength());
          counts[0] += tb.realTokens();
          counts[1] += tb.paddedTokens();
          counts[2] += tb.size();
          parts.add(tb);
          seed(step, c, k);
          pieces.add(encoder.sentenceEmbeddings(m, tb));
        }
        chunks.add(parts);
        NDArray e = pieces.size() == 1 ? pieces.get(0) : NDArrays.concat(new NDList(pieces), 0);
        e.setRequiresGradient(true);
        cached.add(e);
      }
      // (2) The loss and its gradient with respect to the embeddings.
      double value;
      try (GradientCollector gc = Torch.engine().newGradientCollector()) {
        NDArray l = loss.compute(cached, labels(m, data, batch));
        value = l.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        gc.backward(l);
      }
      List<NDArray> grads = new ArrayList<>();
      for (NDArray e : cached) {
        grads.add(e.getGradient().duplicate());
      }
      // (3) Each chunk again with a graph; back-propagate the cached gradient into the parameters.
      for (int c = 0; c < chunks.size(); c++) {
        int from = 0;
        for (int k = 0; k < chunks.get(c).size(); k++) {
          TokenBatch tb = chunks.get(c).get(k);
          try (NDManager cm = Torch.engine().newBaseManager(); GradientCollector gc = Torch.engine().newGradientCollector()) {
            seed(step, c, k);
            NDArray e = encoder.sentenceEmbeddings(cm, tb);
            NDArray g = grads.get(c).get(from + ":" + (from + tb.size()));
            gc.backward(e.mul(g).sum());
          }
          from += tb.size();
        }
      }
      return value;
    }
  }

  private static ObjectNode state(int step, long optimizerSteps, String fingerprint, List<TrainListener.StepLog> steps,
      List<TrainListener.EvalLog> evals) {
    ObjectNode s = Checkpoints.state(step, optimizerSteps, fingerprint, steps);
    ArrayNode ev = s.putArray("evals");
    for (TrainListener.EvalLog e : evals) {
      ObjectNode o = ev.addObject().put("step", e.step());
      ObjectNode metrics = o.putObject("metrics");
      e.metrics().forEach(metrics::put);
    }
    return s;
  }

  private static void readHistory(JsonNode state, List<TrainListener.StepLog> steps, List<TrainListener.EvalLog> evals) {
    steps.addAll(Checkpoints.steps(state));
    for (JsonNode e : state.path("evals")) {
      Map<String, Double> metrics = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = e.path("metrics").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        metrics.put(f.getKey(), f.getValue().asDouble());
      }
      evals.add(new TrainListener.EvalLog(e.path("step").asInt(), metrics));
    }
  }
}

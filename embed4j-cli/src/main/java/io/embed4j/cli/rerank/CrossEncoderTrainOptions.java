package io.embed4j.cli.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.Embed4jException;
import io.embed4j.EmbeddingModel;
import io.embed4j.model.ModelFiles;
import io.embed4j.model.ModelResolver;
import io.embed4j.rerank.Activation;
import io.embed4j.tokenize.PairTokenizer;
import io.embed4j.tokenize.TextTokenizer;
import io.embed4j.torch.ModelWeights;
import io.embed4j.train.ModelEmbedder;
import io.embed4j.train.TrainListener;
import io.embed4j.train.TrainResult;
import io.embed4j.train.cross.CrossEncoderData;
import io.embed4j.train.cross.CrossEncoderExporter;
import io.embed4j.train.cross.CrossEncoderTrainer;
import io.embed4j.train.cross.PairGroup;
import io.embed4j.train.cross.ScoreLoss;
import io.embed4j.train.cross.TrainableCrossEncoder;
import io.embed4j.train.data.BeirData;
import io.embed4j.train.data.TrainingData;
import io.embed4j.train.data.TrainingSet;
import io.embed4j.train.mine.HardNegativeMiner;
import io.embed4j.train.report.TrainReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code embed4j train --cross-encoder}: a reranker from any BERT-family encoder's weights with a new
 * classification head, trained with binary cross-entropy (or a listwise loss) on positives and
 * negatives mined by a bi-encoder, exported as a cross-encoder directory. A mixin of the train command.
 */
public final class CrossEncoderTrainOptions {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  @Option(names = "--cross-encoder", description = "Train a cross-encoder (reranker) instead of an embedding model: --loss bce (default) or listwise.")
  boolean crossEncoder;

  @Option(names = "--negatives", defaultValue = "5", description = "With --cross-encoder: negatives mined per positive. Default: ${DEFAULT-VALUE}.")
  int negatives;

  @Option(names = "--mine-model", defaultValue = "all-MiniLM-L6-v2",
      description = "With --cross-encoder: the bi-encoder that mines negatives. Default: ${DEFAULT-VALUE}.")
  String mineModel;

  @Option(names = "--mine-range", defaultValue = "100",
      description = "With --cross-encoder: negatives come from the bi-encoder's best N for the query (minus its positives). Default: ${DEFAULT-VALUE}.")
  int mineRange;

  @Option(names = "--max-steps", defaultValue = "0",
      description = "With --cross-encoder: stop after this step and export (0 = train to the end). The learning-rate schedule still spans "
          + "the whole run, so rerunning the same command with a later --max-steps, or none, resumes from the checkpoint where this one stopped.")
  int maxSteps;

  /** What the train command passes on: its own options. */
  public record Common(String model, Path data, String split, String loss, int epochs, int batchSize, double lr, double warmupRatio,
      double weightDecay, double maxGradNorm, long seed, int maxSeqLength, int checkpointSteps, int limit, Path output, boolean quiet) {}

  /** Whether --cross-encoder was given; its own options without it are a mistake. */
  public boolean selected() {
    if (!crossEncoder) {
      for (String o : List.of("--negatives", "--mine-model", "--mine-range", "--max-steps")) {
        if (matched(o)) {
          throw new Embed4jException.InvalidInput(o + " applies to --cross-encoder only");
        }
      }
    }
    return crossEncoder;
  }

  private boolean matched(String option) {
    return mixee != null && mixee.commandLine() != null && mixee.commandLine().getParseResult() != null
        && mixee.commandLine().getParseResult().hasMatchedOption(option);
  }

  public int run(Common c) throws IOException {
    for (String o : List.of("--matryoshka", "--mini-batch-size", "--eval")) {
      if (matched(o)) {
        throw new Embed4jException.InvalidInput(o + " does not apply to --cross-encoder");
      }
    }
    // Cross-encoder defaults where the embedding trainer's differ (sentence-transformers' CrossEncoder recipes).
    ScoreLoss loss;
    try {
      loss = matched("--loss") ? ScoreLoss.fromName(c.loss()) : ScoreLoss.BINARY_CROSS_ENTROPY;
    } catch (IllegalArgumentException e) {
      throw new Embed4jException.InvalidInput("--loss: " + e.getMessage());
    }
    int epochs = matched("--epochs") ? c.epochs() : 1;
    int batch = matched("--batch-size") ? c.batchSize() : 16;
    double lr = matched("--lr") ? c.lr() : 2e-5;
    if (maxSteps < 0) {
      throw new Embed4jException.InvalidInput("--max-steps must be >= 0, got " + maxSteps);
    }
    if (negatives < 1 || mineRange <= negatives) {
      throw new Embed4jException.InvalidInput("need --negatives >= 1 and --mine-range > --negatives, got " + negatives + " and " + mineRange);
    }
    ModelFiles files = ModelResolver.resolve(c.model());
    ModelWeights weights = ModelWeights.load(files);
    int maxLength = Math.min(c.maxSeqLength() > 0 ? c.maxSeqLength() : 512, weights.config().maxPositions());
    HardNegativeMiner.Options mining = new HardNegativeMiner.Options(0, mineRange, 0.0, Double.MAX_VALUE, negatives,
        HardNegativeMiner.Sampling.TOP, c.seed());
    long t0 = System.nanoTime();
    List<PairGroup> groups;
    try (EmbeddingModel miner = EmbeddingModel.load(mineModel)) {
      if (BeirData.isBeir(c.data())) {
        groups = CrossEncoderData.fromBeir(BeirData.read(c.data(), c.split()), new ModelEmbedder(miner), mining);
      } else {
        TrainingSet set = TrainingData.load(c.data(), c.split());
        groups = CrossEncoderData.fromTrainingSet(set, new ModelEmbedder(miner), mining);
      }
    }
    if (c.limit() > 0 && groups.size() > c.limit()) {
      groups = groups.subList(0, c.limit());
    }
    int pairs = groups.stream().mapToInt(PairGroup::size).sum();
    if (!c.quiet()) {
      System.err.printf(Locale.ROOT, "%d groups (%d pairs) in %.0f s%s%n", groups.size(), pairs, (System.nanoTime() - t0) / 1e9,
          BeirData.isBeir(c.data()) ? String.format(Locale.ROOT, ", up to %d negatives per positive mined with %s", negatives, mineModel) : "");
    }
    CrossEncoderTrainer.Config config = new CrossEncoderTrainer.Config(epochs, batch, lr, c.warmupRatio(), c.weightDecay(), c.maxGradNorm(),
        c.seed(), maxLength, loss, c.checkpointSteps());
    try (TrainableCrossEncoder model = TrainableCrossEncoder.of(weights, c.seed());
        TextTokenizer tokenizer = TextTokenizer.load(files.tokenizer())) {
      CrossEncoderTrainer trainer = new CrossEncoderTrainer(model, new PairTokenizer(tokenizer), config)
          .checkpoints(c.output().resolve("checkpoints"))
          .stopAfter(maxSteps)
          .listener(new Progress(c.quiet()));
      if (!c.quiet()) {
        System.err.printf(Locale.ROOT, "training a cross-encoder from %s: %s loss, %d epoch(s), batch %d, lr %.1e, max length %d%n",
            files.config().name(), loss.cliName(), epochs, batch, lr, maxLength);
      }
      long start = System.nanoTime();
      TrainResult result = trainer.train(groups);
      double wall = (System.nanoTime() - start) / 1e9;
      Path modelDir = files.onnxModel().toAbsolutePath().getParent();
      JsonNode baseConfig = readConfig(modelDir);
      CrossEncoderExporter.export(model, weights, files.tokenizer(), baseConfig, Activation.SIGMOID, maxLength, c.output());
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("task", "cross-encoder");
      summary.put("model", files.config().name());
      summary.put("data", c.data().toString());
      summary.put("groups", groups.size());
      summary.put("pairs", pairs);
      if (BeirData.isBeir(c.data())) {
        summary.put("negatives_per_positive", negatives);
        summary.put("mine_model", mineModel);
        summary.put("mine_range", mineRange);
      } else {
        summary.put("negatives", "as the file gives them (mined among its positives for anchor-positive pairs)");
      }
      summary.put("loss", loss.cliName());
      summary.put("epochs", epochs);
      summary.put("batch_size", batch);
      summary.put("learning_rate", lr);
      summary.put("warmup_ratio", c.warmupRatio());
      summary.put("weight_decay", c.weightDecay());
      summary.put("seed", c.seed());
      summary.put("max_length", maxLength);
      summary.put("steps", result.totalSteps());
      summary.put("stopped_after_step", maxSteps > 0 && maxSteps < result.totalSteps() ? maxSteps : result.totalSteps());
      summary.put("resumed_from_step", result.startStep());
      summary.put("wall_seconds", wall);
      summary.put("tokens_per_second", result.tokensPerSecond());
      TrainReport.write(c.output(), result, summary);
      if (!c.quiet()) {
        System.err.printf(Locale.ROOT, "trained %d steps in %.0f s (%.0f tokens/s); wrote %s (config.json, onnx/model.onnx, model.safetensors, "
            + "training-report.json)%n", (maxSteps > 0 ? Math.min(maxSteps, result.totalSteps()) : result.totalSteps()) - Math.min(result.startStep(),
            maxSteps > 0 ? maxSteps : result.totalSteps()), wall, result.tokensPerSecond(), c.output());
      }
    }
    return 0;
  }

  private static JsonNode readConfig(Path dir) throws IOException {
    Path config = dir == null ? null : dir.resolve("config.json");
    return config != null && Files.isRegularFile(config) ? JSON.readTree(config.toFile()) : null;
  }

  /** A line every 10 steps (loss smoothed, rate, tokens/s, time left), checkpoints. */
  private static final class Progress implements TrainListener {
    private final boolean quiet;
    private long started;
    private int startStep;
    private long tokens;
    private double smooth = Double.NaN;

    Progress(boolean quiet) {
      this.quiet = quiet;
    }

    @Override
    public void onStart(int totalSteps, int startStep) {
      this.started = System.nanoTime();
      this.startStep = startStep;
      if (!quiet && startStep > 0) {
        System.err.printf(Locale.ROOT, "resuming at step %d of %d%n", startStep, totalSteps);
      }
    }

    @Override
    public void onSkippedStep(int step, java.util.List<String> parameters) {
      System.err.println(io.embed4j.train.TrainListener.skippedStepMessage(step, parameters)); // even with --quiet
    }

    @Override
    public void onStep(StepLog log, int totalSteps) {
      tokens += log.tokens();
      smooth = Double.isNaN(smooth) ? log.loss() : 0.9 * smooth + 0.1 * log.loss();
      if (quiet || (log.step() % 10 != 0 && log.step() != totalSteps)) {
        return;
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      int done = log.step() - startStep;
      double left = done == 0 ? 0 : seconds / done * (totalSteps - log.step());
      System.err.printf(Locale.ROOT, "step %d/%d  loss %.4f  lr %.2e  %.0f tokens/s  %.0f min left%n", log.step(), totalSteps, smooth,
          log.learningRate(), tokens / Math.max(seconds, 1e-9), left / 60);
    }

    @Override
    public void onCheckpoint(int step, Path dir) {
      if (!quiet) {
        System.err.println("checkpoint " + dir);
      }
    }
  }
}

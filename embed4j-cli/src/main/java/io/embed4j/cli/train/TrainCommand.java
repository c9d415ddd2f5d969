package io.embed4j.cli.train;

import io.embed4j.Embed4jException;
import io.embed4j.model.ModelCatalog;
import io.embed4j.model.TransformerShape;
import io.embed4j.torch.MatmulPeak;
import io.embed4j.train.TrainConfig;
import io.embed4j.train.TrainResult;
import io.embed4j.train.Trainer;
import io.embed4j.train.TrainingRun;
import io.embed4j.train.data.TrainingData;
import io.embed4j.train.data.TrainingSet;
import io.embed4j.train.eval.RetrievalDevEvaluator;
import io.embed4j.train.loss.EmbeddingLoss;
import io.embed4j.train.loss.Losses;
import io.embed4j.train.report.TrainReport;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code embed4j train}: fine-tunes an embedding model on pairs, triplets, scored pairs or a BEIR
 * train split, and exports it in sentence-transformers layout with onnx/model.onnx.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Fine-tune an embedding model (contrastive, Matryoshka, GradCache) and export it "
        + "(sentence-transformers directory + onnx/model.onnx). Rerun the same command to resume from the last checkpoint.")
public final class TrainCommand implements Callable<Integer> {
  @Option(names = {"-m", "--model"}, defaultValue = ModelCatalog.DEFAULT_MODEL,
      description = "Model to start from: catalog name, sentence-transformers directory or Hub id. Default: ${DEFAULT-VALUE}.")
  String model;

  @Option(names = "--data", required = true,
      description = "BEIR directory (query/document pairs of --split) or JSONL file: {anchor, positive[, negative...]}, "
          + "{sentence1, sentence2, score} or {query, positive, negative, label}.")
  Path data;

  @Option(names = "--split", defaultValue = "train", description = "qrels split of a BEIR --data. Default: ${DEFAULT-VALUE}.")
  String split;

  @Option(names = "--loss", defaultValue = "mnrl", description = "mnrl, mnrl-symmetric, cached-mnrl, cosent, margin-mse or triplet. Default: ${DEFAULT-VALUE}.")
  String loss;

  @Option(names = "--matryoshka", split = ",", description = "Wrap the loss in MatryoshkaLoss over these dimensions, e.g. 384,256,128,64.")
  int[] matryoshka;

  @Option(names = "--epochs", defaultValue = "3", description = "Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "32", description = "Examples per step (in-batch negatives). Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(names = "--lr", defaultValue = "5e-5", description = "Peak learning rate (AdamW). Default: ${DEFAULT-VALUE}.")
  double lr;

  @Option(names = "--warmup-ratio", defaultValue = "0.1", description = "Share of steps warming up. Default: ${DEFAULT-VALUE}.")
  double warmupRatio;

  @Option(names = "--weight-decay", defaultValue = "0.01", description = "Default: ${DEFAULT-VALUE}.")
  double weightDecay;

  @Option(names = "--max-grad-norm", defaultValue = "1.0", description = "Gradient clipping (0 = off). Default: ${DEFAULT-VALUE}.")
  double maxGradNorm;

  @Option(names = "--seed", defaultValue = "42", description = "Same seed, same run. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--max-seq-length", defaultValue = "0", description = "Tokens per text (0 = the model's max_seq_length).")
  int maxSeqLength;

  @Option(names = "--mini-batch-size", defaultValue = "0",
      description = "GradCache chunk size (0 = off; cached-mnrl defaults to 16).")
  int miniBatchSize;

  @Option(names = "--eval", description = "BEIR directory to evaluate on during training (nDCG@10 etc.).")
  Path eval;

  @Option(names = "--eval-split", defaultValue = "test", description = "qrels split of --eval. Default: ${DEFAULT-VALUE}.")
  String evalSplit;

  @Option(names = "--eval-steps", defaultValue = "0", description = "Evaluate every N steps (0 = once per epoch).")
  int evalSteps;

  @Option(names = "--eval-corpus-limit", defaultValue = "0",
      description = "Evaluate on the judged documents plus a random sample up to this many (0 = the whole corpus).")
  int evalCorpusLimit;

  @Option(names = "--checkpoint-steps", defaultValue = "100", description = "Checkpoint every N steps (0 = never). Default: ${DEFAULT-VALUE}.")
  int checkpointSteps;

  @Option(names = "--limit", defaultValue = "0", description = "Use only the first N examples (0 = all).")
  int limit;

  @Option(names = {"-o", "--output"}, required = true, description = "Directory to write the trained model into (checkpoints go to OUTPUT/checkpoints).")
  Path output;

  @Option(names = "--threads", defaultValue = "0", description = "PyTorch threads (0 = PyTorch's default).")
  int threads;

  @Option(names = "--no-peak", description = "Skip measuring the matmul peak for the report.")
  boolean noPeak;

  @Option(names = {"-q", "--quiet"}, description = "No progress output.")
  boolean quiet;

  @picocli.CommandLine.Mixin io.embed4j.cli.rerank.CrossEncoderTrainOptions crossEncoder;

  @Override
  public Integer call() throws java.io.IOException {
    if (threads > 0) {
      System.setProperty("embed4j.torch.threads", Integer.toString(threads));
    }
    if (crossEncoder.selected()) {
      return crossEncoder.run(new io.embed4j.cli.rerank.CrossEncoderTrainOptions.Common(model, data, split, loss, epochs, batchSize, lr,
          warmupRatio, weightDecay, maxGradNorm, seed, maxSeqLength, checkpointSteps, limit, output, quiet));
    }
    if (!Losses.NAMES.contains(loss)) {
      throw new IllegalArgumentException("--loss must be one of " + Losses.NAMES + ", got '" + loss + "'");
    }
    int chunk = miniBatchSize > 0 ? miniBatchSize : loss.equals("cached-mnrl") ? 16 : 0;
    TrainingSet set = TrainingData.load(data, split);
    if (limit > 0) {
      set = set.limit(limit);
    }
    EmbeddingLoss objective = Losses.create(loss, matryoshka);
    try (TrainingRun run = TrainingRun.open(model, maxSeqLength)) {
      if (matryoshka != null) {
        for (int d : matryoshka) {
          if (d > run.encoder().dimensions()) {
            throw new IllegalArgumentException("--matryoshka dimension " + d + " exceeds the model's " + run.encoder().dimensions());
          }
        }
      }
      int evalEvery = evalSteps;
      TrainConfig config = new TrainConfig(epochs, batchSize, lr, warmupRatio, weightDecay, maxGradNorm, seed, run.maxSeqLength(), chunk,
          0, checkpointSteps, 2);
      Trainer trainer = run.trainer(objective, config);
      int total = trainer.totalSteps(set);
      if (evalEvery == 0) {
        evalEvery = Math.max(1, total / epochs);
      }
      config = config.withEvalSteps(evalEvery);
      trainer = run.trainer(objective, config).checkpoints(output.resolve("checkpoints")).listener(new TrainProgress(quiet, 10));
      RetrievalDevEvaluator dev = null;
      if (eval != null) {
        dev = RetrievalDevEvaluator.load(eval, evalSplit, evalCorpusLimit, seed);
        trainer.evaluator(dev);
      }
      if (!quiet) {
        System.err.printf(Locale.ROOT, "training %s on %d examples %s from %s: %s, %d steps (%d epochs x batch %d), lr %.1e%s%n",
            run.files().config().name(), set.size(), set.columns(), set.source(), objective, total, epochs, batchSize, lr,
            chunk > 0 ? ", GradCache chunks of " + chunk : "");
      }
      long wallStart = System.nanoTime();
      TrainResult result = trainer.train(set);
      double wall = (System.nanoTime() - wallStart) / 1e9;
      run.export(output);
      Map<String, Object> summary = summary(run, set, objective, config, result, wall, dev);
      TrainReport.write(output, result, summary);
      if (!quiet) {
        System.err.printf(Locale.ROOT, "trained %d steps in %.0f s (steps %.0f s): %.0f tokens/s, %.1f GFLOP/s%s%n",
            result.totalSteps() - result.startStep(), wall, result.seconds(), result.tokensPerSecond(),
            (Double) summary.getOrDefault("train_gflops", Double.NaN),
            summary.containsKey("share_of_matmul_peak") ? String.format(Locale.ROOT, " (%.0f%% of the %.0f GFLOP/s matmul peak)",
                100 * (Double) summary.get("share_of_matmul_peak"), (Double) summary.get("matmul_peak_gflops")) : "");
        System.err.println("wrote " + output + " (model.safetensors, onnx/model.onnx, training-report.json, loss.png"
            + (result.evals().isEmpty() ? "" : ", eval.png") + ")");
      }
      return 0;
    }
  }

  private Map<String, Object> summary(TrainingRun run, TrainingSet set, EmbeddingLoss objective, TrainConfig config, TrainResult result,
      double wall, RetrievalDevEvaluator dev) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("model", run.files().config().name());
    s.put("data", set.source());
    s.put("examples", set.size());
    s.put("columns", set.columns());
    s.put("loss", objective.toString());
    s.put("epochs", config.epochs());
    s.put("batch_size", config.batchSize());
    s.put("learning_rate", config.learningRate());
    s.put("warmup_ratio", config.warmupRatio());
    s.put("weight_decay", config.weightDecay());
    s.put("max_grad_norm", config.maxGradNorm());
    s.put("seed", config.seed());
    s.put("max_seq_length", config.maxSeqLength());
    s.put("gradcache_mini_batch", config.miniBatchSize());
    if (matryoshka != null) {
      s.put("matryoshka_dimensions", Arrays.stream(matryoshka).boxed().toList());
    }
    s.put("steps", result.totalSteps());
    s.put("resumed_from_step", result.startStep());
    s.put("wall_seconds", wall);
    s.put("step_seconds", result.seconds());
    s.put("tokens", result.tokens());
    s.put("padded_tokens", result.paddedTokens());
    s.put("tokens_per_second", result.tokensPerSecond());
    s.put("padded_tokens_per_second", result.seconds() > 0 ? result.paddedTokens() / result.seconds() : 0);
    s.put("mean_padded_length", result.meanPaddedLength());
    s.put("threads", threads);
    if (dev != null) {
      s.put("eval_corpus_documents", dev.corpusSize());
    }
    TransformerShape shape = new TransformerShape(run.encoder().config().layers(), run.encoder().config().hiddenSize(),
        run.encoder().config().intermediateSize());
    if (result.seconds() > 0 && result.sequences() > 0) {
      // Work per padded token at the batches' mean padded length: forward + backward (2x forward),
      // plus GradCache's graph-free forward; the forward FLOPs are TransformerShape's.
      double passes = 3 + (result.forwardPasses() - 1);
      double flops = shape.flopsPerToken((int) Math.round(result.meanPaddedLength())) * passes * result.paddedTokens();
      double gflops = flops / result.seconds() / 1e9;
      s.put("train_gflops", gflops);
      if (!noPeak) {
        double peak = MatmulPeak.measure(1024, 2.0); // already GFLOP/s
        s.put("matmul_peak_gflops", peak);
        s.put("share_of_matmul_peak", gflops / peak);
      }
    }
    return s;
  }
}

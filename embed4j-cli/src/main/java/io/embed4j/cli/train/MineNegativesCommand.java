package io.embed4j.cli.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.embed4j.EmbeddingModel;
import io.embed4j.Embed4jException;
import io.embed4j.model.ModelCatalog;
import io.embed4j.train.ModelEmbedder;
import io.embed4j.train.data.BeirData;
import io.embed4j.train.data.TrainingData;
import io.embed4j.train.data.TrainingExample;
import io.embed4j.train.data.TrainingSet;
import io.embed4j.train.mine.HardNegativeMiner;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code embed4j mine-negatives}: hard negatives for (anchor, positive) pairs, mined with a model,
 * written as JSONL triplets for {@code embed4j train}.
 */
@Command(name = "mine-negatives", mixinStandardHelpOptions = true,
    description = "Mine hard negatives for (anchor, positive) pairs with a model and write JSONL triplets "
        + "(as sentence-transformers' mine_hard_negatives).")
public final class MineNegativesCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = {"-m", "--model"}, defaultValue = ModelCatalog.DEFAULT_MODEL, description = "Model that ranks the candidates. Default: ${DEFAULT-VALUE}.")
  String model;

  @Option(names = "--data", required = true,
      description = "BEIR directory (pairs from --split; candidates from the whole corpus) or JSONL pairs (candidates: all positives).")
  Path data;

  @Option(names = "--split", defaultValue = "train", description = "qrels split of a BEIR --data. Default: ${DEFAULT-VALUE}.")
  String split;

  @Option(names = "--range-min", defaultValue = "0", description = "Skip the N best-ranked candidates. Default: ${DEFAULT-VALUE}.")
  int rangeMin;

  @Option(names = "--range-max", defaultValue = "100", description = "Consider candidates ranked below N only. Default: ${DEFAULT-VALUE}.")
  int rangeMax;

  @Option(names = "--margin", defaultValue = "0", description = "A negative must score this much below the positive. Default: ${DEFAULT-VALUE}.")
  double margin;

  @Option(names = "--max-score", defaultValue = "1.0", description = "Drop candidates scoring above this. Default: ${DEFAULT-VALUE}.")
  double maxScore;

  @Option(names = "--num-negatives", defaultValue = "3", description = "Negatives per pair. Default: ${DEFAULT-VALUE}.")
  int numNegatives;

  @Option(names = "--sampling", defaultValue = "top", description = "top (best-scoring candidates) or random. Default: ${DEFAULT-VALUE}.")
  String sampling;

  @Option(names = "--format", defaultValue = "triplet",
      description = "triplet (one {anchor, positive, negative} row per negative) or n-tuple (one row with negative_1..N; "
          + "pairs with fewer negatives are dropped). Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(names = "--seed", defaultValue = "42", description = "For random sampling. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = {"-o", "--output"}, required = true, description = "JSONL file to write.")
  Path output;

  @Option(names = {"-q", "--quiet"}, description = "No summary on stderr.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    HardNegativeMiner.Sampling how = switch (sampling.toLowerCase(Locale.ROOT)) {
      case "top" -> HardNegativeMiner.Sampling.TOP;
      case "random" -> HardNegativeMiner.Sampling.RANDOM;
      default -> throw new IllegalArgumentException("--sampling must be top or random, got '" + sampling + "'");
    };
    if (!format.equals("triplet") && !format.equals("n-tuple")) {
      throw new IllegalArgumentException("--format must be triplet or n-tuple, got '" + format + "'");
    }
    HardNegativeMiner.Options options = new HardNegativeMiner.Options(rangeMin, rangeMax, margin, maxScore, numNegatives, how, seed);
    TrainingSet pairs;
    List<String> corpus = List.of();
    if (BeirData.isBeir(data)) {
      BeirData beir = BeirData.read(data, split);
      pairs = beir.pairs();
      corpus = List.copyOf(beir.corpus().values());
    } else {
      pairs = TrainingData.load(data, split);
    }
    if (pairs.columns().size() < 2) {
      throw new Embed4jException.InvalidInput(data + ": mining needs (anchor, positive) pairs; found columns " + pairs.columns());
    }
    List<String> anchors = new ArrayList<>();
    List<String> positives = new ArrayList<>();
    for (TrainingExample e : pairs.examples()) {
      anchors.add(e.texts().get(0));
      positives.add(e.texts().get(1));
    }
    long t0 = System.nanoTime();
    List<HardNegativeMiner.Mined> mined;
    try (EmbeddingModel m = EmbeddingModel.load(model)) {
      mined = new HardNegativeMiner(new ModelEmbedder(m), options).mine(anchors, positives, corpus);
    }
    int rows = 0;
    int short_ = 0;
    double negSum = 0;
    int negCount = 0;
    Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
    if (output.toAbsolutePath().getParent() != null) {
      Files.createDirectories(output.toAbsolutePath().getParent());
    }
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      for (HardNegativeMiner.Mined r : mined) {
        if (r.negatives().size() < numNegatives) {
          short_++;
        }
        for (double s : r.negativeScores()) {
          negSum += s;
          negCount++;
        }
        if (format.equals("triplet")) {
          for (String n : r.negatives()) {
            w.write(JSON.writeValueAsString(JSON.createObjectNode().put("anchor", r.anchor()).put("positive", r.positive()).put("negative", n)));
            w.newLine();
            rows++;
          }
        } else if (r.negatives().size() == numNegatives) {
          ObjectNode o = JSON.createObjectNode().put("anchor", r.anchor()).put("positive", r.positive());
          for (int k = 0; k < r.negatives().size(); k++) {
            o.put("negative_" + (k + 1), r.negatives().get(k));
          }
          w.write(JSON.writeValueAsString(o));
          w.newLine();
          rows++;
        }
      }
    }
    Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    if (!quiet) {
      double posMean = mined.stream().mapToDouble(HardNegativeMiner.Mined::positiveScore).average().orElse(0);
      System.err.printf(Locale.ROOT, "mined %d pairs in %.1f s: %d rows written to %s; mean positive score %.4f, mean negative score %.4f; "
          + "%d pairs found fewer than %d negatives%n", mined.size(), (System.nanoTime() - t0) / 1e9, rows, output, posMean,
          negCount > 0 ? negSum / negCount : Double.NaN, short_, numNegatives);
    }
    return 0;
  }
}

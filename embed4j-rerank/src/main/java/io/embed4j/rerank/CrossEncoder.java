package io.embed4j.rerank;

import io.embed4j.Embed4jException;
import io.embed4j.backend.FloatTensor;
import io.embed4j.backend.OnnxRunner;
import io.embed4j.encode.BatchPlanner;
import io.embed4j.encode.BatchStream;
import io.embed4j.encode.EncodeStats;
import io.embed4j.hub.HubClient;
import io.embed4j.tokenize.PairTokenizer;
import io.embed4j.tokenize.TextTokenizer;
import io.embed4j.tokenize.TokenizedText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cross-encoder: reads two texts together ({@code [CLS] query [SEP] document [SEP]}) and scores
 * them with a sequence-classification head, as sentence-transformers' {@code CrossEncoder} does.
 * The second stage of retrieval: a bi-encoder fetches candidates fast, the cross-encoder reorders
 * the top of the list.
 *
 * <pre>{@code
 * try (CrossEncoder reranker = CrossEncoder.load("path/to/ms-marco-MiniLM-L-6-v2")) {
 *   List<RankedDocument> top = reranker.rank("how many people live in berlin?", candidates, 10);
 *   float[] scores = reranker.predict(List.of(TextPair.of("query", "passage")));
 * }
 * }</pre>
 *
 * Pairs are ordered by length, tokenized block by block ahead of the encoder, truncated
 * longest-first to the model's max length and batched by a token budget; scores come back in input
 * order, after the model's activation ({@link CrossEncoderConfig#activation()}). Safe to share
 * between threads.
 */
public final class CrossEncoder implements AutoCloseable {
  /** The output a sequence-classification export has: [batch, labels]. */
  public static final String LOGITS = "logits";

  private static final Pattern HUB_ID = Pattern.compile("^([A-Za-z0-9][\\w.-]*/[\\w.-]+)(?:@([\\w./-]+))?$");

  private final CrossEncoderConfig config;
  private final CrossEncoderOptions options;
  private final TextTokenizer tokenizer;
  private final PairTokenizer pairTokenizer;
  private final OnnxRunner runner;

  /**
   * Scores of one call, with what it did.
   *
   * @param scores per pair, one score per label, after the activation
   * @param stats pairs, tokens, padding, batches and time
   */
  public record Predictions(float[][] scores, EncodeStats stats) {}

  private CrossEncoder(CrossEncoderConfig config, CrossEncoderOptions options) {
    this.config = config;
    this.options = options;
    this.runner = OnnxRunner.open(config.onnxModel(), options.backend());
    try {
      if (!runner.floatOutputs().containsKey(LOGITS)) {
        throw new Embed4jException.InvalidModel(config.onnxModel() + ": no '" + LOGITS + "' output (float outputs: "
            + runner.floatOutputs().keySet() + "); a cross-encoder is a sequence-classification export"
            + (config.architectures().isEmpty() ? "" : ", and config.json says " + config.architectures()));
      }
      long[] shape = runner.floatOutputs().get(LOGITS);
      if (shape.length != 2 || (shape[1] > 0 && shape[1] != config.numLabels())) {
        throw new Embed4jException.InvalidModel(config.onnxModel() + ": output '" + LOGITS + "' has shape " + Arrays.toString(shape)
            + "; expected [batch, " + config.numLabels() + "] for the " + config.numLabels() + " label(s) config.json names");
      }
      this.tokenizer = TextTokenizer.load(config.tokenizer());
    } catch (RuntimeException e) {
      runner.close();
      throw e;
    }
    try {
      this.pairTokenizer = new PairTokenizer(tokenizer);
      if (config.maxLength() <= pairTokenizer.specialTokens()) {
        throw new Embed4jException.InvalidInput("max length " + config.maxLength() + " leaves no room for text beside the "
            + pairTokenizer.specialTokens() + " special tokens of a pair");
      }
      // Pay one-time costs (kernel set-up, weight pre-packing) at load, so the first query runs at full speed.
      predictAll(List.of(TextPair.of("warm up", "warm up the cross-encoder once before real work")));
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Loads a cross-encoder directory or Hub id ({@code org/name[@revision]}) with default options. */
  public static CrossEncoder load(String model) {
    return load(model, CrossEncoderOptions.defaults());
  }

  public static CrossEncoder load(String model, CrossEncoderOptions options) {
    return load(resolve(model), options);
  }

  /** Loads a read configuration; the options' activation and max length override the model's. */
  public static CrossEncoder load(CrossEncoderConfig config, CrossEncoderOptions options) {
    if (options.activation() != null) {
      config = config.withActivation(options.activation());
    }
    if (options.maxLength() > 0) {
      config = config.withMaxLength(options.maxLength());
    }
    return new CrossEncoder(config, options);
  }

  /** A directory in Hugging Face layout, or a Hub id fetched into the Hub cache. */
  public static CrossEncoderConfig resolve(String model) {
    if (model == null || model.isBlank()) {
      throw new Embed4jException.ModelNotFound("no cross-encoder given: name a directory or a Hub id (org/name)");
    }
    Path dir = Path.of(model);
    if (Files.isDirectory(dir)) {
      return CrossEncoderConfig.read(dir, dir.toAbsolutePath().normalize().getFileName().toString());
    }
    Matcher m = HUB_ID.matcher(model);
    if (m.matches() && !Files.exists(dir)) {
      Path snapshot = HubClient.fromEnvironment().snapshot(m.group(1), m.group(2) == null ? "main" : m.group(2));
      return CrossEncoderConfig.read(snapshot, model);
    }
    throw new Embed4jException.ModelNotFound("unknown cross-encoder '" + model + "': not an existing directory or a Hub id (org/name)");
  }

  public CrossEncoderConfig config() {
    return config;
  }

  public String name() {
    return config.name();
  }

  public int numLabels() {
    return config.numLabels();
  }

  public int maxLength() {
    return config.maxLength();
  }

  /** The tokenized pair the model reads, truncated as {@link #predict} truncates it. */
  public TokenizedText tokenize(TextPair pair) {
    return pairTokenizer.tokenize(pair.first(), pair.second(), config.maxLength());
  }

  /** Score of one pair (one-label models). */
  public float predict(String first, String second) {
    return predict(List.of(TextPair.of(first, second)))[0];
  }

  /** One score per pair, in input order, for models with one label (rerankers). */
  public float[] predict(List<TextPair> pairs) {
    requireOneLabel("predict");
    float[][] all = predictAll(pairs);
    float[] out = new float[all.length];
    for (int i = 0; i < all.length; i++) {
      out[i] = all[i][0];
    }
    return out;
  }

  /** Per pair, one score per label ({@link CrossEncoderConfig#labels()} order), in input order. */
  public float[][] predictAll(List<TextPair> pairs) {
    return score(pairs).scores();
  }

  /** Scores pairs and reports what the call did. */
  public Predictions score(List<TextPair> pairs) {
    long started = System.nanoTime();
    int n = pairs.size();
    for (int i = 0; i < n; i++) {
      if (pairs.get(i) == null) {
        throw new Embed4jException.InvalidInput("pair " + i + " is null");
      }
    }
    // Longest pairs first, so batches of similar length pad little.
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> pairs.get(i).first().length() + pairs.get(i).second().length()).reversed());
    float[][] scores = new float[n][];
    long realTokens = 0;
    long paddedTokens = 0;
    long batches = 0;
    try (BatchStream stream = BatchStream.start(n, (from, to) -> tokenizeOrdered(pairs, order, from, to),
        options.batchTokens(), options.maxBatchSize())) {
      for (BatchPlanner.Planned planned; (planned = stream.next()) != null; ) {
        FloatTensor logits = runner.run(planned.batch(), LOGITS);
        int rows = planned.rows().length;
        int labels = config.numLabels();
        if (logits.rank() != 2 || logits.dim(0) != rows || logits.dim(1) != labels) {
          throw new Embed4jException.InvalidModel(config.onnxModel() + ": output '" + LOGITS + "' came back as " + logits
              + " for " + rows + " pairs; expected [" + rows + ", " + labels + "]");
        }
        float[] values = logits.values();
        for (int r = 0; r < rows; r++) {
          float[] row = Arrays.copyOfRange(values, r * labels, (r + 1) * labels);
          config.activation().applyInPlace(row);
          scores[order[planned.rows()[r].text()]] = row;
        }
        realTokens += planned.batch().realTokens();
        paddedTokens += planned.batch().paddedTokens();
        batches++;
      }
    }
    return new Predictions(scores, new EncodeStats(n, n, realTokens, paddedTokens, batches, System.nanoTime() - started));
  }

  private TokenizedText[] tokenizeOrdered(List<TextPair> pairs, Integer[] order, int from, int to) {
    List<String> firsts = new ArrayList<>(to - from);
    List<String> seconds = new ArrayList<>(to - from);
    for (int k = from; k < to; k++) {
      TextPair p = pairs.get(order[k]);
      firsts.add(p.first());
      seconds.add(p.second());
    }
    return pairTokenizer.tokenize(firsts, seconds, config.maxLength());
  }

  /**
   * Documents ordered by the model's score for (query, document), best first, at most {@code topK}
   * of them ({@code topK <= 0}: all). Equal scores keep the input order.
   */
  public List<RankedDocument> rank(String query, List<String> documents, int topK) {
    requireOneLabel("rank");
    if (query == null) {
      throw new Embed4jException.InvalidInput("query is null");
    }
    List<TextPair> pairs = new ArrayList<>(documents.size());
    for (int i = 0; i < documents.size(); i++) {
      if (documents.get(i) == null) {
        throw new Embed4jException.InvalidInput("document " + i + " is null");
      }
      pairs.add(TextPair.of(query, documents.get(i)));
    }
    return ranked(predict(pairs), topK);
  }

  /** Indices ordered by score, best first (equal scores by index), at most {@code topK} ({@code <= 0}: all). */
  public static List<RankedDocument> ranked(float[] scores, int topK) {
    Integer[] idx = new Integer[scores.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> {
      int c = Float.compare(scores[b], scores[a]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    int k = topK <= 0 ? idx.length : Math.min(topK, idx.length);
    List<RankedDocument> out = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      out.add(new RankedDocument(idx[i], scores[idx[i]]));
    }
    return out;
  }

  private void requireOneLabel(String what) {
    if (config.numLabels() != 1) {
      throw new Embed4jException.InvalidInput(what + " needs a one-label cross-encoder (a relevance score); '" + name() + "' has "
          + config.numLabels() + " labels " + config.labels() + ": use predictAll for one score per label");
    }
  }

  @Override
  public void close() {
    runner.close();
    if (tokenizer != null) {
      tokenizer.close();
    }
  }

  @Override
  public String toString() {
    return "CrossEncoder[" + name() + ", labels=" + config.labels() + ", activation=" + config.activation()
        + ", max_length=" + config.maxLength() + "]";
  }
}

package io.embed4j.cli.rerank;

import io.embed4j.Embed4jException;
import io.embed4j.backend.BackendOptions;
import io.embed4j.eval.EvalResult;
import io.embed4j.eval.Progress;
import io.embed4j.eval.data.BeirDataset;
import io.embed4j.eval.retrieval.PairScoreCache;
import io.embed4j.eval.retrieval.RerankGrid;
import io.embed4j.model.Embed4jHome;
import io.embed4j.rerank.Activation;
import io.embed4j.rerank.CrossEncoder;
import io.embed4j.rerank.CrossEncoderOptions;
import io.embed4j.rerank.ScoreFusion;
import io.embed4j.rerank.TextPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --rerank MODEL --rerank-top N}: a cross-encoder stage after first-stage retrieval, for the
 * commands that retrieve ({@code eval retrieval}, {@code search}). A mixin.
 */
public final class RerankStageOptions {
  @Option(names = "--rerank", paramLabel = "MODEL",
      description = "Rerank the first stage's best --rerank-top documents with this cross-encoder (directory or Hub id).")
  public String model;

  @Option(names = "--rerank-top", defaultValue = "100", split = ",", paramLabel = "N",
      description = "How many first-stage documents the cross-encoder reorders. eval retrieval takes several (50,100): "
          + "the largest is scored once and each is measured. Default: ${DEFAULT-VALUE}.")
  public List<Integer> tops;

  @Option(names = "--rerank-fusion", defaultValue = "ce", split = ",", paramLabel = "F",
      description = "How the reranked order is made: ce (the cross-encoder's score), interpolate:W (W x min-max(cross-encoder) "
          + "+ (1-W) x min-max(first stage)) or rrf[:K]. eval retrieval takes several. Default: ${DEFAULT-VALUE}.")
  public List<String> fusionSpecs;

  @Option(names = "--rerank-cache", paramLabel = "FILE",
      description = "eval retrieval: keep the cross-encoder's scores in FILE; a rerun (interrupted, or with other --rerank-fusion) "
          + "scores only the pairs not in it. Latency is only meaningful for pairs actually scored.")
  public java.nio.file.Path cacheFile;

  /** Loads the cross-encoder, or an inactive stage without --rerank. */
  public Stage open(int threads) {
    if (model == null) {
      if (!tops.equals(List.of(100))) {
        throw new Embed4jException.InvalidInput("--rerank-top applies with --rerank MODEL only");
      }
      if (!fusionSpecs.equals(List.of("ce")) || cacheFile != null) {
        throw new Embed4jException.InvalidInput((cacheFile != null ? "--rerank-cache" : "--rerank-fusion") + " applies with --rerank MODEL only");
      }
      return new Stage(null, List.of(), List.of(), null, null);
    }
    for (int top : tops) {
      if (top < 1) {
        throw new Embed4jException.InvalidInput("--rerank-top must be >= 1, got " + top);
      }
    }
    List<ScoreFusion> fusions = new ArrayList<>();
    for (String f : fusionSpecs) {
      try {
        fusions.add(ScoreFusion.parse(f));
      } catch (IllegalArgumentException e) {
        throw new Embed4jException.InvalidInput("--rerank-fusion: " + e.getMessage());
      }
    }
    CrossEncoderOptions options = CrossEncoderOptions.defaults()
        .withBackend(new BackendOptions(threads, "all", Embed4jHome.dir().resolve("ort-cache")));
    boolean fused = fusions.stream().anyMatch(f -> !(f instanceof ScoreFusion.CrossEncoderOnly));
    if (fused) {
      // Fusion normalizes scores linearly: raw logits, not sigmoid outputs squeezed against 0 and 1.
      // The cross-encoder's own order is the same either way.
      options = options.withActivation(Activation.IDENTITY);
    }
    CrossEncoder ce = CrossEncoder.load(model, options);
    String identity = identity(ce, fused ? Activation.IDENTITY : ce.config().activation());
    if (ce.numLabels() != 1) {
      ce.close();
      throw new Embed4jException.InvalidInput("--rerank " + model + " has " + ce.numLabels() + " labels " + ce.config().labels()
          + "; reranking needs a one-label cross-encoder (a relevance score)");
    }
    return new Stage(ce, List.copyOf(tops), List.copyOf(fusions), cacheFile, identity);
  }

  /** The scores' source for --rerank-cache: the graph file (path, size, time) and the activation. */
  private static String identity(CrossEncoder ce, Activation activation) {
    java.nio.file.Path onnx = ce.config().onnxModel().toAbsolutePath().normalize();
    try {
      return onnx + " " + java.nio.file.Files.size(onnx) + " " + java.nio.file.Files.getLastModifiedTime(onnx).toMillis() + " activation="
          + activation + " max_length=" + ce.maxLength();
    } catch (java.io.IOException e) {
      return onnx + " activation=" + activation + " max_length=" + ce.maxLength();
    }
  }

  /** A loaded reranking stage (or none); closes its model. */
  public static final class Stage implements AutoCloseable {
    private final CrossEncoder model;
    private final List<Integer> tops;
    private final List<ScoreFusion> fusions;
    private RerankGrid.Result grid;

    private final java.nio.file.Path cacheFile;
    private final String identity;
    private long cachedPairs;

    Stage(CrossEncoder model, List<Integer> tops, List<ScoreFusion> fusions, java.nio.file.Path cacheFile, String identity) {
      this.model = model;
      this.tops = tops;
      this.fusions = fusions;
      this.cacheFile = cacheFile;
      this.identity = identity;
    }

    public boolean active() {
      return model != null;
    }

    public CrossEncoder model() {
      return model;
    }

    /** The one top a single ranking uses (search); several are for eval retrieval only. */
    public int top() {
      single();
      return tops.get(0);
    }

    /** The one fusion a single ranking uses (search). */
    public ScoreFusion fusion() {
      single();
      return fusions.get(0);
    }

    private void single() {
      if (tops.size() != 1 || fusions.size() != 1) {
        throw new Embed4jException.InvalidInput("search takes one --rerank-top and one --rerank-fusion; several are for eval retrieval");
      }
    }

    public List<Integer> tops() {
      return tops;
    }

    /**
     * Reranks the first variant's run of {@code first} at every --rerank-top and --rerank-fusion,
     * scoring each pair once; returns the result with the first setting's metrics and run in place of
     * the first variant's. The first stage's own metrics stay in {@link #grid()} and {@link #describe()}.
     */
    public EvalResult rerank(BeirDataset data, EvalResult first, int[] cutoffs, Progress progress) {
      List<RerankGrid.Fusion> gridFusions = new ArrayList<>();
      for (ScoreFusion f : fusions) {
        gridFusions.add(new RerankGrid.Fusion() {
          @Override
          public String label() {
            return f.label();
          }

          @Override
          public double[] fuse(double[] firstScores, float[] reranker) {
            return f.fuse(firstScores, reranker);
          }
        });
      }
      if (cacheFile == null) {
        grid = RerankGrid.evaluate(data, first.run(), this::score, tops, gridFusions, cutoffs, progress);
      } else {
        try (PairScoreCache cache = PairScoreCache.open(cacheFile, identity, this::score)) {
          grid = RerankGrid.evaluate(data, first.run(), cache, tops, gridFusions, cutoffs, progress);
          cachedPairs = cache.hits();
        }
      }
      firstStage = first.scores().get(first.first());
      RerankGrid.Outcome headline = grid.outcomes().get(0);
      Map<io.embed4j.eval.VectorVariant, Map<String, Double>> scores = new LinkedHashMap<>(first.scores());
      Map<String, Double> m = new LinkedHashMap<>(headline.metrics());
      m.put("search_seconds", firstStage.getOrDefault("search_seconds", 0.0));
      scores.put(first.first(), m);
      return new EvalResult(first.task(), first.model(), first.data(), first.info(), scores, headline.run());
    }

    private Map<String, Double> firstStage;

    public RerankGrid.Result grid() {
      return grid;
    }



    /** The cross-encoder's score of each (query, document). */
    public float[] score(String query, List<String> documents) {
      List<TextPair> pairs = new ArrayList<>(documents.size());
      for (String d : documents) {
        pairs.add(TextPair.of(query, d));
      }
      return model.predict(pairs);
    }

    /** What the stage did, for JSON results; null when inactive. */
    public Map<String, Object> describe() {
      if (model == null) {
        return null;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", model.name());
      m.put("top", tops.get(0));
      m.put("fusion", fusions.get(0).label());
      if (grid != null) {
        m.put("queries", grid.queries());
        m.put("pairs", grid.pairs());
        m.put("seconds", grid.seconds());
        m.put("ms_per_query", grid.millisPerQuery().get(tops.get(0)));
        m.put("pairs_from_cache", cachedPairs);
        Map<String, Object> latency = new LinkedHashMap<>();
        grid.millisPerQuery().forEach((top, ms) -> latency.put(Integer.toString(top), ms));
        m.put("ms_per_query_at_top", latency);
        m.put("first_stage", firstStage);
        List<Map<String, Object>> settings = new ArrayList<>();
        for (RerankGrid.Outcome o : grid.outcomes()) {
          Map<String, Object> s = new LinkedHashMap<>();
          s.put("top", o.setting().top());
          s.put("fusion", o.setting().fusion().label());
          s.put("scores", o.metrics());
          settings.add(s);
        }
        m.put("settings", settings);
      }
      return m;
    }

    /** Lines on what reranking cost and scored (each setting against the first stage), or nothing when inactive. */
    public String summary() {
      if (model == null || grid == null) {
        return "";
      }
      StringBuilder b = new StringBuilder();
      for (var e : grid.millisPerQuery().entrySet()) {
        b.append(String.format(Locale.ROOT, "rerank: %s, top %d: %.1f ms/query (%d queries)%n", model.name(), e.getKey(), e.getValue(),
            grid.queries()));
      }
      b.append(String.format(Locale.ROOT, "rerank: %d pairs scored once in %.1f s, %.0f pairs/s%s%n", grid.pairs(), grid.seconds(),
          grid.seconds() == 0 ? 0 : grid.pairs() / grid.seconds(),
          cacheFile == null ? "" : String.format(Locale.ROOT, " (%d from %s: latency counts only the rest)", cachedPairs, cacheFile)));
      b.append(String.format(Locale.ROOT, "%-28s nDCG@10 %.4f  MAP@100 %.4f  recall@100 %.4f  MRR@10 %.4f%n", "first stage",
          firstStage.get("ndcg_at_10"), firstStage.getOrDefault("map_at_100", Double.NaN), firstStage.getOrDefault("recall_at_100", Double.NaN),
          firstStage.get("mrr_at_10")));
      for (RerankGrid.Outcome o : grid.outcomes()) {
        Map<String, Double> s = o.metrics();
        b.append(String.format(Locale.ROOT, "%-28s nDCG@10 %.4f  MAP@100 %.4f  recall@100 %.4f  MRR@10 %.4f%n", o.setting().label(),
            s.get("ndcg_at_10"), s.getOrDefault("map_at_100", Double.NaN), s.getOrDefault("recall_at_100", Double.NaN), s.get("mrr_at_10")));
      }
      return b.toString().stripTrailing();
    }

    @Override
    public void close() {
      if (model != null) {
        model.close();
      }
    }
  }
}

package io.embed4j.cli.rerank;

import io.embed4j.Embed4jException;
import io.embed4j.backend.BackendOptions;
import io.embed4j.eval.retrieval.RerankingRetriever;
import io.embed4j.eval.retrieval.Retriever;
import io.embed4j.model.Embed4jHome;
import io.embed4j.rerank.CrossEncoder;
import io.embed4j.rerank.CrossEncoderOptions;
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

  @Option(names = "--rerank-top", defaultValue = "100", paramLabel = "N",
      description = "How many first-stage documents the cross-encoder reorders. Default: ${DEFAULT-VALUE}.")
  public int top;

  /** Loads the cross-encoder, or an inactive stage without --rerank. */
  public Stage open(int threads) {
    if (model == null) {
      if (top != 100) {
        throw new Embed4jException.InvalidInput("--rerank-top applies with --rerank MODEL only");
      }
      return new Stage(null, 0);
    }
    if (top < 1) {
      throw new Embed4jException.InvalidInput("--rerank-top must be >= 1, got " + top);
    }
    CrossEncoderOptions options = CrossEncoderOptions.defaults()
        .withBackend(new BackendOptions(threads, "all", Embed4jHome.dir().resolve("ort-cache")));
    CrossEncoder ce = CrossEncoder.load(model, options);
    if (ce.numLabels() != 1) {
      ce.close();
      throw new Embed4jException.InvalidInput("--rerank " + model + " has " + ce.numLabels() + " labels " + ce.config().labels()
          + "; reranking needs a one-label cross-encoder (a relevance score)");
    }
    return new Stage(ce, top);
  }

  /** A loaded reranking stage (or none); closes its model. */
  public static final class Stage implements AutoCloseable {
    private final CrossEncoder model;
    private final int top;
    private final RerankingRetriever.Stats stats = new RerankingRetriever.Stats();

    Stage(CrossEncoder model, int top) {
      this.model = model;
      this.top = top;
    }

    public boolean active() {
      return model != null;
    }

    public CrossEncoder model() {
      return model;
    }

    public int top() {
      return top;
    }

    public RerankingRetriever.Stats stats() {
      return stats;
    }

    /** The first stage, followed by this cross-encoder when active. */
    public Retriever.Factory wrap(Retriever.Factory first) {
      if (model == null) {
        return first;
      }
      return RerankingRetriever.factory(first, this::score, top, stats);
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
      m.put("top", top);
      m.put("queries", stats.queries());
      m.put("pairs", stats.pairs());
      m.put("seconds", stats.seconds());
      m.put("ms_per_query", stats.millisPerQuery());
      return m;
    }

    /** One line on what reranking cost, or nothing when inactive. */
    public String summary() {
      if (model == null) {
        return "";
      }
      return String.format(Locale.ROOT, "rerank: %s, top %d: %.1f ms/query, %.0f pairs/s (%d queries)", model.name(), top,
          stats.millisPerQuery(), stats.seconds() == 0 ? 0 : stats.pairs() / stats.seconds(), stats.queries());
    }

    @Override
    public void close() {
      if (model != null) {
        model.close();
      }
    }
  }
}

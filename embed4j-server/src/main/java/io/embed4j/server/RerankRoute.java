package io.embed4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.embed4j.batch.CallBatcher;
import io.embed4j.batch.Truncation;
import io.embed4j.rerank.CrossEncoder;
import io.embed4j.rerank.RankedDocument;
import io.embed4j.rerank.TextPair;
import io.embed4j.tokenize.PairTokenizer;
import io.embed4j.tokenize.TextTokenizer;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TEI's {@code POST /rerank} over a cross-encoder: {@code {"query", "texts", "truncate",
 * "truncation_direction", "raw_scores", "return_text"}} in, {@code [{"index", "score", "text"?}]}
 * out, best first. Concurrent requests share cross-encoder calls through a {@link CallBatcher}.
 */
final class RerankRoute implements AutoCloseable {
  /** All pairs share one kind of call: the cross-encoder takes no per-request options. */
  private static final String PAIRS = "pairs";

  private final Reranker reranker;
  private final Infer infer;
  private final TextTokenizer tokenizer;
  private final int pairSpecialTokens;
  private final CallBatcher<String, TextPair, Float> batcher;

  RerankRoute(Reranker reranker, Infer infer, ServerMetrics metrics) {
    this.reranker = reranker;
    this.infer = infer;
    CrossEncoder encoder = reranker.encoder();
    // A tokenizer of its own, to measure pairs untruncated when a request refuses truncation.
    this.tokenizer = TextTokenizer.load(encoder.config().tokenizer());
    this.pairSpecialTokens = new PairTokenizer(tokenizer).specialTokens();
    ServerConfig c = infer.config();
    this.batcher = CallBatcher.start("rerank", new CallBatcher.Config(Math.max(c.maxClientBatchSize(), 256), c.maxConcurrentRequests()),
        (key, pairs) -> {
          CrossEncoder.Predictions p = encoder.score(pairs);
          List<Float> logits = new ArrayList<>(pairs.size());
          for (float[] row : p.scores()) {
            logits.add(row[0]);
          }
          return new CallBatcher.Result<>(logits, p.stats());
        }, metrics.batches("rerank"));
    metrics.bind(batcher, "rerank");
  }

  void handle(Context ctx) {
    JsonNode body = JsonBodies.readObject(ctx, infer.config().payloadLimit());
    String query = JsonBodies.optString(body, "query");
    if (query == null) {
      throw ApiException.invalid("query", "`query` is missing; it must be a string");
    }
    List<String> texts = JsonBodies.texts(body, "texts", infer.config().maxClientBatchSize());
    boolean raw = Boolean.TRUE.equals(JsonBodies.optBoolean(body, "raw_scores"));
    boolean returnText = Boolean.TRUE.equals(JsonBodies.optBoolean(body, "return_text"));
    Truncation truncation = infer.truncation(JsonBodies.optBoolean(body, "truncate"), JsonBodies.truncationDirection(body));
    if (truncation == Truncation.LEFT) {
      throw ApiException.invalid("truncation_direction", "`truncation_direction` \"left\" is not supported by /rerank: a cross-encoder "
          + "truncates the longer text of a pair from its end, as sentence-transformers does");
    }
    if (truncation == Truncation.REJECT) {
      rejectOverLong(query, texts);
    }
    List<TextPair> pairs = new ArrayList<>(texts.size());
    for (String t : texts) {
      pairs.add(TextPair.of(query, t));
    }
    long started = System.nanoTime();
    List<Float> logits = Infer.await(ctx, batcher.submit(PAIRS, pairs));
    float[] scores = new float[logits.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = raw ? logits.get(i) : reranker.score(logits.get(i));
    }
    List<Map<String, Object>> out = new ArrayList<>(scores.length);
    for (RankedDocument d : CrossEncoder.ranked(scores, 0)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", d.index());
      m.put("score", d.score());
      if (returnText) {
        m.put("text", texts.get(d.index()));
      }
      out.add(m);
    }
    ctx.header("x-inference-time", Long.toString((System.nanoTime() - started) / 1_000_000));
    Responses.json(ctx, out);
  }

  private void rejectOverLong(String query, List<String> texts) {
    int max = reranker.encoder().maxLength();
    int queryTokens = tokenizer.countContentTokens(query);
    for (int i = 0; i < texts.size(); i++) {
      int length = pairSpecialTokens + queryTokens + tokenizer.countContentTokens(texts.get(i));
      if (length > max) {
        throw ApiException.invalid("texts", "query and texts[" + i + "] make " + length + " tokens; reranker '" + reranker.name()
            + "' takes at most " + max + " (send truncate: true to cut the longer text)");
      }
    }
  }

  Map<String, Object> info() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model_id", reranker.name());
    m.put("model_type", "reranker");
    m.put("activation", reranker.activation().name().toLowerCase(java.util.Locale.ROOT));
    m.put("max_input_length", reranker.encoder().maxLength());
    return m;
  }

  boolean healthy() {
    return batcher.isRunning();
  }

  int inFlight() {
    return batcher.inFlight();
  }

  @Override
  public void close() {
    batcher.close();
    tokenizer.close();
  }
}

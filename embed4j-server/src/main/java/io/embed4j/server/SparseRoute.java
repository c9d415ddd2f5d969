package io.embed4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.embed4j.batch.CallBatcher;
import io.embed4j.batch.Truncation;
import io.embed4j.sparse.SparseEmbeddings;
import io.embed4j.sparse.SparseEncoder;
import io.embed4j.sparse.SparseModelConfig;
import io.embed4j.sparse.SparseOptions;
import io.embed4j.sparse.SparseVector;
import io.embed4j.tokenize.TextTokenizer;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TEI's {@code POST /embed_sparse} over a SPLADE model: {@code {"inputs", "truncate",
 * "truncation_direction", "prompt_name"}} in, per input the non-zero entries
 * {@code [{"index", "value"}]} (ascending index) out. embed4j adds {@code "side": "query" |
 * "document"} (default document): which side's route, pruning and prompt apply. Concurrent requests
 * with the same side and prompt share sparse-encoder calls through a {@link CallBatcher}.
 */
final class SparseRoute implements AutoCloseable {
  /** What requests must share to run in one call. */
  private record Key(SparseEncoder.Side side, SparseOptions options) {}

  private final SparseEncoder encoder;
  private final Infer infer;
  private final TextTokenizer queryTokenizer;
  private final TextTokenizer documentTokenizer;
  private final CallBatcher<Key, String, SparseVector> batcher;

  SparseRoute(SparseEncoder encoder, Infer infer, ServerMetrics metrics) {
    this.encoder = encoder;
    this.infer = infer;
    // Tokenizers of its own, to measure texts untruncated when a request refuses truncation.
    this.documentTokenizer = TextTokenizer.load(encoder.config().document().tokenizer());
    this.queryTokenizer = encoder.config().query().tokenizer().equals(encoder.config().document().tokenizer())
        ? documentTokenizer : TextTokenizer.load(encoder.config().query().tokenizer());
    ServerConfig c = infer.config();
    this.batcher = CallBatcher.start("sparse", new CallBatcher.Config(Math.max(c.maxClientBatchSize(), 256), c.maxConcurrentRequests()),
        (key, texts) -> {
          SparseEmbeddings e = encoder.encode(texts, key.side(), key.options());
          return new CallBatcher.Result<>(List.of(e.vectors()), e.stats());
        }, metrics.batches("sparse"));
    metrics.bind(batcher, "sparse");
  }

  void handle(Context ctx) {
    JsonNode body = JsonBodies.readObject(ctx, infer.config().payloadLimit());
    List<String> texts = JsonBodies.texts(body, "inputs", infer.config().maxClientBatchSize());
    SparseEncoder.Side side = side(JsonBodies.optString(body, "side"));
    SparseOptions options = side == SparseEncoder.Side.QUERY ? encoder.options().query() : encoder.options().document();
    String promptName = JsonBodies.optString(body, "prompt_name");
    if (promptName != null) {
      String prompt = encoder.config().prompts().get(promptName);
      if (prompt == null) {
        throw ApiException.invalid("prompt_name", "sparse model '" + encoder.name() + "' has no prompt named '" + promptName + "'; its prompts: "
            + (encoder.config().prompts().isEmpty() ? "none" : encoder.config().prompts().keySet()));
      }
      options = options.withPrompt(prompt);
    }
    Truncation truncation = infer.truncation(JsonBodies.optBoolean(body, "truncate"), JsonBodies.truncationDirection(body));
    if (truncation == Truncation.LEFT) {
      throw ApiException.invalid("truncation_direction", "`truncation_direction` \"left\" is not supported by /embed_sparse: "
          + "the sparse encoder keeps the start of a text");
    }
    if (truncation == Truncation.REJECT) {
      rejectOverLong(texts, side, options);
    }
    long started = System.nanoTime();
    List<SparseVector> vectors = Infer.await(ctx, batcher.submit(new Key(side, options), texts));
    List<List<Map<String, Object>>> out = new ArrayList<>(vectors.size());
    for (SparseVector v : vectors) {
      List<Map<String, Object>> entries = new ArrayList<>(v.size());
      for (int k = 0; k < v.size(); k++) {
        Map<String, Object> e = new LinkedHashMap<>(2);
        e.put("index", v.indices()[k]);
        e.put("value", v.values()[k]);
        entries.add(e);
      }
      out.add(entries);
    }
    ctx.header("x-inference-time", Long.toString((System.nanoTime() - started) / 1_000_000));
    Responses.json(ctx, out);
  }

  private static SparseEncoder.Side side(String side) {
    if (side == null || side.equalsIgnoreCase("document")) {
      return SparseEncoder.Side.DOCUMENT;
    }
    if (side.equalsIgnoreCase("query")) {
      return SparseEncoder.Side.QUERY;
    }
    throw ApiException.invalid("side", "`side` must be \"query\" or \"document\", got \"" + side + "\"");
  }

  private void rejectOverLong(List<String> texts, SparseEncoder.Side side, SparseOptions options) {
    SparseModelConfig.Route route = side == SparseEncoder.Side.QUERY ? encoder.config().query() : encoder.config().document();
    TextTokenizer tokenizer = side == SparseEncoder.Side.QUERY ? queryTokenizer : documentTokenizer;
    int max = options.maxLength() > 0 ? options.maxLength() : route.maxLength();
    String prompt = options.prompt().isEmpty() ? modelPrompt(side) : options.prompt();
    for (int i = 0; i < texts.size(); i++) {
      int length = tokenizer.tokenize(prompt + texts.get(i)).length();
      if (length > max) {
        throw ApiException.invalid("inputs", "input " + i + " has " + length + " tokens; sparse model '" + encoder.name()
            + "' takes at most " + max + " (send truncate: true to embed the first " + max + ")");
      }
    }
  }

  /** The prompt the encoder applies by itself when a request names none (as {@link SparseEncoder#encode} picks it). */
  private String modelPrompt(SparseEncoder.Side side) {
    List<String> names = side == SparseEncoder.Side.QUERY ? List.of("query") : List.of("document", "passage", "corpus");
    for (String n : names) {
      String p = encoder.config().prompts().get(n);
      if (p != null && !p.isEmpty()) {
        return p;
      }
    }
    return "";
  }

  Map<String, Object> info() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model_id", encoder.name());
    m.put("model_type", "sparse");
    m.put("dimensions", encoder.dimensions());
    m.put("max_input_length", encoder.config().document().maxLength());
    m.put("prompts", encoder.config().prompts().keySet());
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
    if (queryTokenizer != documentTokenizer) {
      queryTokenizer.close();
    }
    documentTokenizer.close();
  }
}

package io.embed4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.embed4j.EmbeddingModel;
import io.embed4j.batch.BatchRequest;
import io.embed4j.batch.BatchResult;
import io.embed4j.batch.Truncation;
import io.embed4j.encode.EncodeOptions;
import io.embed4j.tokenize.TextTokenizer;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hugging Face text-embeddings-inference's API: {@code /embed}, {@code /embed_all},
 * {@code /similarity}, {@code /tokenize}, {@code /decode}, {@code /info}; {@code /rerank} and
 * {@code /embed_sparse} when the server has a reranker or sparse model ({@link RerankRoute},
 * {@link SparseRoute}), else 424. Field names,
 * defaults and response shapes follow TEI, so clients written for it work unchanged.
 */
final class TeiApi {
  private final Infer infer;
  private final RerankRoute rerank;
  private final SparseRoute sparse;

  /** {@code rerank} and {@code sparse} may be null: their routes then answer 424. */
  TeiApi(Infer infer, RerankRoute rerank, SparseRoute sparse) {
    this.infer = infer;
    this.rerank = rerank;
    this.sparse = sparse;
  }

  void register(RoutesConfig routes) {
    routes.post("/embed", this::embed);
    routes.post("/embed_all", this::embedAll);
    routes.post("/similarity", this::similarity);
    routes.post("/tokenize", this::tokenize);
    routes.post("/decode", this::decode);
    routes.post("/rerank", rerank != null ? rerank::handle : ctx -> unsupported("/rerank", "a reranker (cross-encoder) model", "--reranker"));
    routes.post("/embed_sparse", sparse != null ? sparse::handle
        : ctx -> unsupported("/embed_sparse", "a sparse (SPLADE) model", "--sparse-model"));
    routes.get("/info", this::info);
  }

  private void unsupported(String route, String needs, String flag) {
    throw ApiException.unsupportedByModel("this server serves no " + needs.replaceFirst("^an? ", "") + ": " + route + " needs one "
        + "(start it with " + flag + " DIR|HUB_ID); model '" + infer.model().name() + "' is a dense embedding model for /embed and /v1/embeddings");
  }

  private JsonNode body(Context ctx) {
    return JsonBodies.readObject(ctx, infer.config().payloadLimit());
  }

  private EncodeOptions options(JsonNode params, boolean withDimensions) {
    EncodeOptions options = EncodeOptions.defaults();
    String prompt = JsonBodies.optString(params, "prompt_name");
    if (prompt != null) {
      options = options.withPromptName(prompt);
    }
    if (withDimensions) {
      options = options.withDimensions(JsonBodies.optInt(params, "dimensions", 1, infer.model().dimensions()));
    }
    return options;
  }

  private Truncation truncation(JsonNode params) {
    return infer.truncation(JsonBodies.optBoolean(params, "truncate"), JsonBodies.truncationDirection(params));
  }

  private void embed(Context ctx) {
    long started = System.nanoTime();
    JsonNode body = body(ctx);
    List<BatchRequest.Input> inputs = JsonBodies.inputs(body, "inputs", infer.config().maxClientBatchSize());
    Boolean normalize = JsonBodies.optBoolean(body, "normalize");
    // TEI normalizes unless told not to, whatever the model's own pipeline says.
    EncodeOptions options = options(body, true).withNormalize(normalize == null || normalize);
    BatchResult r = infer.run(ctx, new BatchRequest(inputs, options, truncation(body), false), started);
    Responses.json(ctx, r.vectors());
  }

  private void embedAll(Context ctx) {
    long started = System.nanoTime();
    JsonNode body = body(ctx);
    List<BatchRequest.Input> inputs = JsonBodies.inputs(body, "inputs", infer.config().maxClientBatchSize());
    BatchResult r = infer.run(ctx, new BatchRequest(inputs, options(body, false), truncation(body), true), started);
    Responses.json(ctx, r.tokenEmbeddings());
  }

  private void similarity(Context ctx) {
    long started = System.nanoTime();
    JsonNode body = body(ctx);
    JsonNode in = body.get("inputs");
    if (in == null || !in.isObject()) {
      throw ApiException.invalid("inputs", "`inputs` must be an object with `source_sentence` and `sentences`, got " + JsonBodies.kind(in));
    }
    String source = JsonBodies.optString(in, "source_sentence");
    if (source == null) {
      throw ApiException.invalid("inputs.source_sentence", "`inputs.source_sentence` must be a string");
    }
    List<String> sentences = JsonBodies.texts(in, "sentences", infer.config().maxClientBatchSize() - 1);
    JsonNode params = body.get("parameters");
    if (JsonBodies.absent(params)) {
      params = JsonBodies.MAPPER.createObjectNode();
    } else if (!params.isObject()) {
      throw ApiException.invalid("parameters", "`parameters` must be an object, got " + JsonBodies.kind(params));
    }
    List<BatchRequest.Input> inputs = new ArrayList<>(sentences.size() + 1);
    inputs.add(BatchRequest.Input.text(source));
    sentences.forEach(s -> inputs.add(BatchRequest.Input.text(s)));
    BatchResult r = infer.run(ctx, new BatchRequest(inputs, options(params, false), truncation(params), false), started);
    EmbeddingModel model = infer.model();
    float[] scores = new float[sentences.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = model.similarity(r.vectors()[0], r.vectors()[i + 1]);
    }
    Responses.json(ctx, scores);
  }

  private void tokenize(Context ctx) {
    JsonNode body = body(ctx);
    List<String> texts = JsonBodies.texts(body, "inputs", infer.config().maxClientBatchSize());
    Boolean special = JsonBodies.optBoolean(body, "add_special_tokens");
    EmbeddingModel model = infer.model();
    EncodeOptions options = options(body, false);
    model.checkOptions(options);
    String prompt = model.promptFor(options);
    List<List<Map<String, Object>>> out = new ArrayList<>(texts.size());
    for (String text : texts) {
      String full = prompt + (model.config().doLowerCase() ? text.toLowerCase(Locale.ROOT) : text);
      List<Map<String, Object>> tokens = new ArrayList<>();
      for (TextTokenizer.Token t : model.tokenizer().tokenDetails(full, special == null || special)) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("text", t.text());
        m.put("special", t.special());
        m.put("start", t.start() < 0 ? null : t.start());
        m.put("stop", t.stop() < 0 ? null : t.stop());
        tokens.add(m);
      }
      out.add(tokens);
    }
    Responses.json(ctx, out);
  }

  private void decode(Context ctx) {
    JsonNode body = body(ctx);
    JsonNode ids = body.get("ids");
    if (ids == null || !ids.isArray() || ids.isEmpty()) {
      throw ApiException.invalid("ids", "`ids` must be a non-empty array of token ids or of token-id arrays, got " + JsonBodies.kind(ids));
    }
    List<long[]> sequences = new ArrayList<>();
    if (ids.get(0).isArray()) {
      if (ids.size() > infer.config().maxClientBatchSize()) {
        throw ApiException.tooLarge("ids", "batch size " + ids.size() + " > maximum allowed batch size "
            + infer.config().maxClientBatchSize() + " (--max-client-batch-size)");
      }
      for (int i = 0; i < ids.size(); i++) {
        if (!ids.get(i).isArray()) {
          throw ApiException.invalid("ids", "`ids[" + i + "]` must be an array of token ids, got " + JsonBodies.kind(ids.get(i)));
        }
        sequences.add(JsonBodies.ids(ids.get(i), "ids[" + i + "]"));
      }
    } else {
      sequences.add(JsonBodies.ids(ids, "ids"));
    }
    Boolean skip = JsonBodies.optBoolean(body, "skip_special_tokens");
    TextTokenizer tokenizer = infer.model().tokenizer();
    List<String> out = new ArrayList<>(sequences.size());
    for (long[] seq : sequences) {
      for (long id : seq) {
        if (id < 0 || id >= tokenizer.vocabSize()) {
          throw ApiException.invalid("ids", "token id " + id + " is outside the vocabulary (0.." + (tokenizer.vocabSize() - 1) + ")");
        }
      }
      out.add(tokenizer.decode(seq, skip == null || skip));
    }
    Responses.json(ctx, out);
  }

  private void info(Context ctx) {
    EmbeddingModel model = infer.model();
    ServerConfig c = infer.config();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("model_id", model.name());
    out.put("model_dtype", "float32");
    out.put("model_type", Map.of("embedding", Map.of("pooling", model.config().pooling().getFirst().name().toLowerCase(Locale.ROOT))));
    out.put("dimensions", model.dimensions());
    out.put("similarity", model.similarityFunction().name().toLowerCase(Locale.ROOT));
    out.put("prompts", model.config().prompts().keySet());
    out.put("max_concurrent_requests", c.maxConcurrentRequests());
    out.put("max_input_length", model.maxSeqLength());
    out.put("max_batch_tokens", c.maxBatchTokens());
    out.put("max_batch_requests", c.maxBatchSize());
    out.put("max_client_batch_size", c.maxClientBatchSize());
    out.put("payload_limit", c.payloadLimit());
    out.put("auto_truncate", c.autoTruncate());
    out.put("tokenization_workers", c.tokenizationWorkers());
    out.put("inference_workers", c.inferenceWorkers());
    out.put("version", EmbeddingServer.VERSION);
    List<Map<String, Object>> models = new ArrayList<>();
    Map<String, Object> embedding = new LinkedHashMap<>();
    embedding.put("model_id", model.name());
    embedding.put("model_type", "embedding");
    embedding.put("dimensions", model.dimensions());
    embedding.put("max_input_length", model.maxSeqLength());
    models.add(embedding);
    if (rerank != null) {
      models.add(rerank.info());
    }
    if (sparse != null) {
      models.add(sparse.info());
    }
    out.put("models", models);
    Responses.json(ctx, out);
  }
}

package io.embed4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.embed4j.EmbeddingModel;
import io.embed4j.batch.BatchRequest;
import io.embed4j.batch.BatchResult;
import io.embed4j.encode.EncodeOptions;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's embeddings API: {@code POST /v1/embeddings}, {@code GET /v1/models}. Vectors are those
 * of {@code encode} with the model's own normalization; {@code model} and {@code user} are
 * accepted and ignored (one model is served), so clients configured for OpenAI work unchanged.
 */
final class OpenAiApi {
  private final Infer infer;
  private final long created = System.currentTimeMillis() / 1000;

  OpenAiApi(Infer infer) {
    this.infer = infer;
  }

  void register(RoutesConfig routes) {
    routes.post("/v1/embeddings", this::embeddings);
    routes.get("/v1/models", ctx -> Responses.json(ctx, Map.of("object", "list", "data", List.of(modelObject()))));
    routes.get("/v1/models/{model}", this::model);
  }

  private Map<String, Object> modelObject() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", infer.model().name());
    m.put("object", "model");
    m.put("created", created);
    m.put("owned_by", "embed4j");
    return m;
  }

  private void model(Context ctx) {
    if (!ctx.pathParam("model").equals(infer.model().name())) {
      throw ApiException.notFound("the model '" + ctx.pathParam("model") + "' does not exist; this server serves '" + infer.model().name() + "'");
    }
    Responses.json(ctx, modelObject());
  }

  private void embeddings(Context ctx) {
    long started = System.nanoTime();
    ServerConfig config = infer.config();
    JsonNode body = JsonBodies.readObject(ctx, config.payloadLimit());
    List<BatchRequest.Input> inputs = JsonBodies.inputs(body, "input", config.maxClientBatchSize());
    String format = JsonBodies.optString(body, "encoding_format");
    boolean base64 = "base64".equals(format);
    if (format != null && !base64 && !format.equals("float")) {
      throw ApiException.invalid("encoding_format", "`encoding_format` must be \"float\" or \"base64\", got \"" + format + "\"");
    }
    EmbeddingModel model = infer.model();
    int dimensions = JsonBodies.optInt(body, "dimensions", 1, model.dimensions());
    JsonBodies.optString(body, "model"); // type-checked, otherwise ignored
    EncodeOptions options = EncodeOptions.defaults().withDimensions(dimensions);
    BatchResult r = infer.run(ctx, new BatchRequest(inputs, options, infer.truncation(null, null), false), started);

    List<Map<String, Object>> data = new ArrayList<>(r.size());
    for (int i = 0; i < r.size(); i++) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("object", "embedding");
      e.put("embedding", base64 ? base64(r.vectors()[i]) : r.vectors()[i]);
      e.put("index", i);
      data.add(e);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("object", "list");
    out.put("data", data);
    out.put("model", model.name());
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("prompt_tokens", r.tokens());
    usage.put("total_tokens", r.tokens());
    out.put("usage", usage);
    Responses.json(ctx, out);
  }

  /** Little-endian float32, base64: what OpenAI's clients decode. */
  static String base64(float[] v) {
    ByteBuffer buf = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(v);
    return Base64.getEncoder().encodeToString(buf.array());
  }
}

package io.embed4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.embed4j.EmbeddingModel;
import io.embed4j.encode.EncodeOptions;
import io.embed4j.vector.VectorMath;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TEI routes, /info, /health, /metrics and the OpenAI route's wire format, on a real server on loopback. */
class ServerApiTest {
  private static TestServer s;
  private static EmbeddingModel model;

  @BeforeAll
  static void start() {
    s = TestServer.start();
    model = TestServer.model();
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  static float[] floats(JsonNode array) {
    float[] v = new float[array.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = array.get(i).floatValue();
    }
    return v;
  }

  static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": dimensions");
    float cos = VectorMath.cosine(expected, actual);
    assertTrue(cos > 0.99999f, what + ": cosine " + cos);
  }

  @Test
  void openAiEmbeddingsHaveTheVectorsOfEncodeWithIndexAndUsage() {
    List<String> texts = List.of("The cat sits on the mat.", "Vector search on the JVM");
    TestServer.Response r = s.post("/v1/embeddings", "{\"input\": [\"The cat sits on the mat.\", \"Vector search on the JVM\"], \"model\": \"text-embedding-3-small\"}");
    assertEquals(200, r.status(), r.body());
    JsonNode body = r.json();
    assertEquals("list", body.get("object").asText());
    assertEquals("all-MiniLM-L6-v2", body.get("model").asText());
    float[][] expected = model.encode(texts);
    for (int i = 0; i < 2; i++) {
      JsonNode d = body.get("data").get(i);
      assertEquals("embedding", d.get("object").asText());
      assertEquals(i, d.get("index").asInt());
      assertClose(expected[i], floats(d.get("embedding")), "text " + i);
    }
    long tokens = model.tokenizer().tokenize(texts.get(0)).length() + model.tokenizer().tokenize(texts.get(1)).length();
    assertEquals(tokens, body.get("usage").get("prompt_tokens").asLong());
    assertEquals(tokens, body.get("usage").get("total_tokens").asLong());
    assertEquals(Long.toString(tokens), r.headers().firstValue("x-compute-tokens").orElseThrow());
    assertTrue(r.headers().firstValue("x-queue-time").isPresent() && r.headers().firstValue("x-inference-time").isPresent());
  }

  @Test
  void openAiTakesOneStringAndTokenIdArrays() {
    float[] expected = model.encode("hello world");
    assertClose(expected, floats(s.post("/v1/embeddings", "{\"input\": \"hello world\"}").json().get("data").get(0).get("embedding")), "string");
    long[] ids = model.tokenizer().tokenize("hello world").ids();
    String idJson = java.util.Arrays.toString(ids);
    assertClose(expected, floats(s.post("/v1/embeddings", "{\"input\": " + idJson + "}").json().get("data").get(0).get("embedding")), "one id array");
    JsonNode two = s.post("/v1/embeddings", "{\"input\": [" + idJson + "," + idJson + "]}").json().get("data");
    assertEquals(2, two.size());
    assertClose(expected, floats(two.get(1).get("embedding")), "id arrays");
  }

  @Test
  void modelsListsTheServedModel() {
    JsonNode list = s.get("/v1/models").json();
    assertEquals("all-MiniLM-L6-v2", list.get("data").get(0).get("id").asText());
    assertEquals(200, s.get("/v1/models/all-MiniLM-L6-v2").status());
    TestServer.Response missing = s.get("/v1/models/gpt-4");
    assertEquals(404, missing.status());
    assertTrue(missing.json().get("error").get("message").asText().contains("does not exist"), missing.body());
  }

  @Test
  void teiEmbedNormalizesByDefaultAndHonoursDimensionsAndPrompts() {
    JsonNode one = s.post("/embed", "{\"inputs\": \"hello world\"}").json();
    assertEquals(1, one.size());
    assertClose(model.encode("hello world"), floats(one.get(0)), "embed");
    JsonNode raw = s.post("/embed", "{\"inputs\": [\"hello world\"], \"normalize\": false}").json();
    float[] unnormalized = model.encode(List.of("hello world"), EncodeOptions.defaults().withNormalize(false))[0];
    assertEquals(VectorMath.norm(unnormalized), VectorMath.norm(floats(raw.get(0))), 1e-4);
    JsonNode small = s.post("/embed", "{\"inputs\": [\"a\", \"b\"], \"dimensions\": 32}").json();
    assertEquals(32, small.get(1).size());
    assertClose(model.encode(List.of("b"), EncodeOptions.defaults().withDimensions(32))[0], floats(small.get(1)), "32 dims");
  }

  @Test
  void teiEmbedAllSimilarityTokenizeAndDecode() {
    JsonNode all = s.post("/embed_all", "{\"inputs\": [\"hello world\"]}").json();
    assertEquals(4, all.get(0).size(), "one row per token: [CLS] hello world [SEP]");
    assertEquals(384, all.get(0).get(0).size());

    JsonNode sim = s.post("/similarity", "{\"inputs\": {\"source_sentence\": \"a cat\", \"sentences\": [\"a cat\", \"the stock market\"]}}").json();
    assertEquals(2, sim.size());
    assertEquals(1.0, sim.get(0).asDouble(), 1e-4);
    assertTrue(sim.get(1).asDouble() < 0.5, sim.toString());

    JsonNode tok = s.post("/tokenize", "{\"inputs\": \"Hello world\"}").json().get(0);
    assertEquals(4, tok.size());
    assertEquals("[CLS]", tok.get(0).get("text").asText());
    assertTrue(tok.get(0).get("special").asBoolean());
    assertEquals("Hello", tok.get(1).get("text").asText());
    assertEquals(0, tok.get(1).get("start").asInt());
    assertEquals(5, tok.get(1).get("stop").asInt());
    assertEquals(2, s.post("/tokenize", "{\"inputs\": [\"Hello world\"], \"add_special_tokens\": false}").json().get(0).size());
    JsonNode emoji = s.post("/tokenize", "{\"inputs\": \"h\u00e9llo \ud83d\udc4b world\"}").json().get(0);
    assertEquals("\ud83d\udc4b", emoji.get(2).get("text").asText(), "offsets count code points, as Python does");
    assertEquals(6, emoji.get(2).get("start").asInt());
    assertEquals("world", emoji.get(3).get("text").asText().strip());

    long[] ids = model.tokenizer().tokenize("hello world").ids();
    JsonNode dec = s.post("/decode", "{\"ids\": " + java.util.Arrays.toString(ids) + "}").json();
    assertEquals("hello world", dec.get(0).asText());
    JsonNode withSpecial = s.post("/decode", "{\"ids\": [" + java.util.Arrays.toString(ids) + "], \"skip_special_tokens\": false}").json();
    assertEquals("[CLS] hello world [SEP]", withSpecial.get(0).asText());
  }

  @Test
  void overLongInputsAreTruncatedUnlessTheRequestSaysNot() {
    String longText = "word ".repeat(1000);
    assertEquals(200, s.post("/embed", "{\"inputs\": \"" + longText + "\"}").status());
    TestServer.Response r = s.post("/embed", "{\"inputs\": \"" + longText + "\", \"truncate\": false}");
    assertEquals(422, r.status());
    assertEquals("validation", r.json().get("error_type").asText());
    assertTrue(r.json().get("error").asText().contains("1002 tokens") && r.json().get("error").asText().contains("at most 256"), r.body());
    float[] left = floats(s.post("/embed", "{\"inputs\": \"" + longText + "cat\", \"truncation_direction\": \"Left\"}").json().get(0));
    float[] right = floats(s.post("/embed", "{\"inputs\": \"" + longText + "cat\"}").json().get(0));
    assertTrue(VectorMath.cosine(left, right) < 0.99999f, "left truncation keeps the end");
  }

  @Test
  void rerankAndSparseWithoutTheirModelsAnswer424NamingTheFlag() {
    TestServer.Response r = s.post("/rerank", "{\"query\": \"q\", \"texts\": [\"a\"]}");
    assertEquals(424, r.status());
    assertTrue(r.json().get("error").asText().contains("serves no reranker (cross-encoder) model: /rerank needs one (start it with --reranker"), r.body());
    TestServer.Response sparse = s.post("/embed_sparse", "{\"inputs\": \"a\"}");
    assertEquals(424, sparse.status());
    assertTrue(sparse.json().get("error").asText().contains("--sparse-model"), sparse.body());
  }

  @Test
  void corsIsOffUnlessOriginsAreGiven() {
    java.net.http.HttpRequest.Builder preflight = java.net.http.HttpRequest.newBuilder(s.uri("/v1/embeddings"))
        .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://app.example").header("Access-Control-Request-Method", "POST");
    TestServer.Response off = s.send(preflight);
    assertTrue(off.headers().firstValue("access-control-allow-origin").isEmpty(), off.headers().toString());
    try (TestServer cors = TestServer.start(ServerConfig.defaults().withCors(List.of("https://app.example")).withApiKey("k"))) {
      TestServer.Response on = cors.send(java.net.http.HttpRequest.newBuilder(cors.uri("/v1/embeddings"))
          .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
          .header("Origin", "https://app.example").header("Access-Control-Request-Method", "POST"));
      assertEquals("https://app.example", on.headers().firstValue("access-control-allow-origin").orElse(null), on.headers().toString());
      TestServer.Response other = cors.send(java.net.http.HttpRequest.newBuilder(cors.uri("/v1/embeddings"))
          .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
          .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST"));
      assertTrue(other.headers().firstValue("access-control-allow-origin").isEmpty(), other.headers().toString());
    }
  }

  @Test
  void healthInfoAndMetrics() {
    TestServer.Response h = s.get("/health");
    assertEquals(200, h.status());
    JsonNode info = s.get("/info").json();
    assertEquals("all-MiniLM-L6-v2", info.get("model_id").asText());
    assertEquals(256, info.get("max_input_length").asInt());
    assertEquals(512, info.get("max_client_batch_size").asInt());
    s.post("/embed", "{\"inputs\": \"metrics please\"}");
    s.post("/embed", "{\"inputs\": 5}");
    s.get("/no/such/route/" + System.nanoTime());
    String metrics = s.get("/metrics").body();
    for (String expected : List.of(
        "embed4j_http_requests_total{method=\"POST\",route=\"/embed\",status=\"200\"}",
        "embed4j_http_requests_total{method=\"POST\",route=\"/embed\",status=\"422\"}",
        "route=\"other\",status=\"404\"",
        "embed4j_http_request_duration_seconds_bucket{",
        "embed4j_request_queue_seconds_count",
        "embed4j_request_tokenization_seconds_count",
        "embed4j_request_inference_seconds_count",
        "embed4j_batch_texts_bucket{kind=\"embedding\",",
        "embed4j_batch_tokens_bucket{kind=\"embedding\",",
        "embed4j_queue_depth{kind=\"embedding\"}",
        "embed4j_requests_in_flight{kind=\"embedding\"}")) {
      assertTrue(metrics.contains(expected), "metrics lack " + expected + ":\n" + metrics);
    }
  }
}

package io.embed4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.errors.UnprocessableEntityException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.embed4j.EmbeddingModel;
import io.embed4j.encode.EncodeOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OpenAI's official Java client (com.openai:openai-java), unchanged but for its base URL, against a real server. */
class OpenAiClientTest {
  private static final List<String> TEXTS = List.of("A man is eating food.", "A man is riding a horse.",
      "Embeddings map text to vectors.", "");
  private static TestServer s;
  private static EmbeddingModel model;

  @BeforeAll
  static void start() {
    s = TestServer.start(ServerConfig.defaults().withApiKey("sk-test-embed4j"));
    model = TestServer.model();
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  /** The client is not AutoCloseable; this wraps it so try-with-resources closes it. */
  private record Client(OpenAIClient c) implements AutoCloseable {
    com.openai.services.blocking.EmbeddingService embeddings() {
      return c.embeddings();
    }

    @Override
    public void close() {
      c.close();
    }
  }

  private static Client client(String key) {
    return client(s, key);
  }

  private static Client client(TestServer server, String key) {
    return new Client(OpenAIOkHttpClient.builder().baseUrl(server.server.url() + "/v1").apiKey(key).maxRetries(0)
        .timeout(Duration.ofSeconds(60)).build());
  }

  private static float[] floats(List<Float> list) {
    float[] v = new float[list.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = list.get(i);
    }
    return v;
  }

  private static float[] vector(CreateEmbeddingResponse r, int i) {
    var value = r.data().get(i).embeddingValue();
    if (value.isFloats()) {
      return floats(value.asFloats());
    }
    ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(value.asBase64())).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[buf.remaining() / 4];
    buf.asFloatBuffer().get(v);
    return v;
  }

  @Test
  void theOfficialClientGetsTheVectorsOfEncode() {
    try (Client client = client("sk-test-embed4j")) {
      CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder()
          .model("text-embedding-3-small").inputOfArrayOfStrings(TEXTS).build());
      float[][] expected = model.encode(TEXTS);
      assertEquals(TEXTS.size(), r.data().size());
      for (int i = 0; i < TEXTS.size(); i++) {
        assertEquals(i, r.data().get(i).index());
        ServerApiTest.assertClose(expected[i], vector(r, i), "text " + i);
        assertEquals(expected[i].length, r.data().get(i).embedding().size());
      }
      long tokens = TEXTS.stream().mapToLong(t -> model.tokenizer().tokenize(t).length()).sum();
      assertEquals(tokens, r.usage().promptTokens());
      assertEquals("all-MiniLM-L6-v2", r.model());
    }
  }

  @Test
  void dimensionsAndBase64WorkThroughTheClient() {
    try (Client client = client("sk-test-embed4j")) {
      CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder()
          .model("all-MiniLM-L6-v2").inputOfArrayOfStrings(TEXTS.subList(0, 2)).dimensions(128)
          .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());
      assertTrue(r.data().get(0).embeddingValue().isBase64(), "the client sees base64 on the wire");
      float[][] expected = model.encode(TEXTS.subList(0, 2), EncodeOptions.defaults().withDimensions(128));
      for (int i = 0; i < 2; i++) {
        float[] v = vector(r, i);
        assertEquals(128, v.length);
        ServerApiTest.assertClose(expected[i], v, "128-d base64 text " + i);
        assertEquals(1f, io.embed4j.vector.VectorMath.norm(v), 1e-5f, "Matryoshka vectors are renormalized");
      }
      float[] single = vector(client.embeddings().create(EmbeddingCreateParams.builder().model("m").input(TEXTS.get(2)).build()), 0);
      ServerApiTest.assertClose(model.encode(TEXTS.get(2)), single, "one string");
      long[] ids = model.tokenizer().tokenize(TEXTS.get(2)).ids();
      List<Long> idList = java.util.Arrays.stream(ids).boxed().toList();
      float[] fromIds = vector(client.embeddings().create(EmbeddingCreateParams.builder().model("m").inputOfArrayOfTokenArrays(List.of(idList)).build()), 0);
      ServerApiTest.assertClose(single, fromIds, "token ids");
    }
  }

  @Test
  void errorsReachTheClientAsItsTypedExceptions() {
    try (Client client = client("sk-wrong")) {
      UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> client.embeddings().create(
          EmbeddingCreateParams.builder().model("m").input("x").build()));
      assertEquals(401, e.statusCode());
      assertEquals("invalid_api_key", e.code().orElseThrow());
    }
    try (Client client = client("sk-test-embed4j")) {
      UnprocessableEntityException e = assertThrows(UnprocessableEntityException.class, () -> client.embeddings().create(
          EmbeddingCreateParams.builder().model("m").input("x").dimensions(4096).build()));
      assertEquals("dimensions", e.param().orElseThrow());
      assertTrue(e.getMessage().contains("from 1 to 384"), e.getMessage());
    }
    try (TestServer busy = TestServer.start(ServerConfig.defaults().withLimits(1, 512, 2_000_000));
        Client client = client(busy, "none")) {
      String big = "{\"inputs\": [" + String.join(",", java.util.Collections.nCopies(48, "\"" + "word ".repeat(200) + "\"")) + "]}";
      var hold = java.util.concurrent.CompletableFuture.supplyAsync(() -> busy.post("/embed", big));
      while (busy.server.inFlight() == 0) {
        Thread.onSpinWait();
      }
      RateLimitException e = assertThrows(RateLimitException.class, () -> client.embeddings().create(
          EmbeddingCreateParams.builder().model("m").input("x").build()));
      assertEquals(429, e.statusCode());
      assertEquals(200, hold.join().status());
    }
  }
}

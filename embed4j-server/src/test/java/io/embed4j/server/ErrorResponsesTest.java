package io.embed4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every error status with its body, in both shapes; API key on and off; overload; and a barrage
 * of bad requests after which the server still answers correctly.
 */
class ErrorResponsesTest {
  private static TestServer s;

  @BeforeAll
  static void start() {
    s = TestServer.start();
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  /** Asserts the status and the OpenAI error shape; returns the message. */
  static String openAiError(TestServer.Response r, int status, String type) {
    assertEquals(status, r.status(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), r.headers().toString());
    JsonNode e = r.json().get("error");
    assertTrue(e != null && e.isObject(), "OpenAI errors are {\"error\": {...}}: " + r.body());
    assertEquals(type, e.get("type").asText(), r.body());
    assertTrue(e.has("param") && e.has("code"), r.body());
    return e.get("message").asText();
  }

  /** Asserts the status and TEI's error shape; returns the message. */
  static String teiError(TestServer.Response r, int status, String type) {
    assertEquals(status, r.status(), r.body());
    JsonNode body = r.json();
    assertTrue(body.get("error").isTextual(), "TEI errors are {\"error\": \"...\", \"error_type\": ...}: " + r.body());
    assertEquals(type, body.get("error_type").asText(), r.body());
    return body.get("error").asText();
  }

  private static void assertContains(String message, String expected) {
    assertTrue(message.contains(expected), "'" + message + "' should contain '" + expected + "'");
  }

  @Test
  void malformedJsonAndInvalidUtf8Are400() {
    assertContains(openAiError(s.post("/v1/embeddings", "{\"input\": [\"a\""), 400, "invalid_request_error"), "not valid JSON");
    assertContains(teiError(s.post("/embed", "{\"inputs\": \"a\"} trailing"), 400, "validation"), "not valid JSON");
    assertContains(teiError(s.post("/embed", ""), 400, "validation"), "empty");
    byte[] badUtf8 = concat("{\"inputs\": \"ab".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xff, (byte) 0xfe}, "\"}".getBytes(StandardCharsets.UTF_8));
    assertContains(teiError(s.post("/embed", badUtf8), 400, "validation"), "UTF-8");
    assertContains(openAiError(s.post("/v1/embeddings", badUtf8), 400, "invalid_request_error"), "UTF-8");
  }

  @Test
  void wrongTypesEmptyInputAndBadValuesAre422NamingTheField() {
    record Case(String path, String body, String param, String says) {}
    List<Case> cases = List.of(
        new Case("/v1/embeddings", "[\"a\"]", null, "must be a JSON object"),
        new Case("/v1/embeddings", "{}", "input", "`input` is missing"),
        new Case("/v1/embeddings", "{\"input\": 5}", "input", "got a number"),
        new Case("/v1/embeddings", "{\"input\": []}", "input", "must not be empty"),
        new Case("/v1/embeddings", "{\"input\": [\"a\", 3]}", "input", "`input[1]` must be a string or an array of token ids"),
        new Case("/v1/embeddings", "{\"input\": [[]]}", "input[0]", "empty token-id list"),
        new Case("/v1/embeddings", "{\"input\": [1.5]}", "input", "must be an integer token id, got 1.5"),
        new Case("/v1/embeddings", "{\"input\": [101, 99999999]}", null, "outside the vocabulary"),
        new Case("/v1/embeddings", "{\"input\": \"a\", \"dimensions\": -3}", "dimensions", "from 1 to 384, got -3"),
        new Case("/v1/embeddings", "{\"input\": \"a\", \"dimensions\": 0}", "dimensions", "from 1 to 384, got 0"),
        new Case("/v1/embeddings", "{\"input\": \"a\", \"dimensions\": 100000000000000000000}", "dimensions", "from 1 to 384"),
        new Case("/v1/embeddings", "{\"input\": \"a\", \"dimensions\": 385}", "dimensions", "got 385"),
        new Case("/v1/embeddings", "{\"input\": \"a\", \"dimensions\": \"64\"}", "dimensions", "got a string"),
        new Case("/v1/embeddings", "{\"input\": \"a\", \"encoding_format\": \"hex\"}", "encoding_format", "\"float\" or \"base64\""),
        new Case("/v1/embeddings", "{\"input\": \"a\", \"model\": 7}", "model", "`model` must be a string"));
    for (Case c : cases) {
      TestServer.Response r = s.post(c.path(), c.body());
      assertContains(openAiError(r, 422, "invalid_request_error"), c.says());
      JsonNode param = r.json().get("error").get("param");
      assertEquals(c.param(), param.isNull() ? null : param.asText(), c.body());
    }
    List<String[]> tei = List.of(
        new String[] {"/embed", "{\"inputs\": {\"a\": 1}}", "got an object"},
        new String[] {"/embed", "{\"inputs\": []}", "must not be empty"},
        new String[] {"/embed", "{\"inputs\": \"a\", \"normalize\": \"yes\"}", "`normalize` must be true or false"},
        new String[] {"/embed", "{\"inputs\": \"a\", \"truncate\": 1}", "`truncate` must be true or false"},
        new String[] {"/embed", "{\"inputs\": \"a\", \"truncation_direction\": \"middle\"}", "\"left\" or \"right\""},
        new String[] {"/embed", "{\"inputs\": \"a\", \"prompt_name\": \"query\"}", "no prompt named 'query'"},
        new String[] {"/embed", "{\"inputs\": \"a\", \"dimensions\": -1}", "from 1 to 384"},
        new String[] {"/similarity", "{\"inputs\": \"a\"}", "`inputs` must be an object"},
        new String[] {"/similarity", "{\"inputs\": {\"source_sentence\": \"a\", \"sentences\": []}}", "must not be empty"},
        new String[] {"/tokenize", "{\"inputs\": 3}", "must be a string or an array of strings"},
        new String[] {"/decode", "{\"ids\": [-1]}", "outside the vocabulary"},
        new String[] {"/decode", "{\"ids\": \"1 2\"}", "`ids` must be a non-empty array"});
    for (String[] c : tei) {
      assertContains(teiError(s.post(c[0], c[1]), 422, "validation"), c[2]);
    }
  }

  @Test
  void tooManyInputsAndTooLargeBodiesAre413() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 513; i++) {
      many.add("\"t" + i + "\"");
    }
    String body = "[" + String.join(",", many) + "]";
    assertContains(openAiError(s.post("/v1/embeddings", "{\"input\": " + body + "}"), 413, "invalid_request_error"),
        "batch size 513 > maximum allowed batch size 512");
    assertContains(teiError(s.post("/embed", "{\"inputs\": " + body + "}"), 413, "validation"), "batch size 513");
    assertContains(teiError(s.post("/tokenize", "{\"inputs\": " + body + "}"), 413, "validation"), "batch size 513");

    byte[] elevenMb = ("{\"inputs\": \"" + "x".repeat(11 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
    assertContains(teiError(s.post("/embed", elevenMb), 413, "validation"), "over the payload limit of 2000000 bytes");
    assertContains(openAiError(s.post("/v1/embeddings", elevenMb), 413, "invalid_request_error"), "payload limit");
  }

  @Test
  void aTakenPortIsAUserFacingError() {
    io.embed4j.Embed4jException e = org.junit.jupiter.api.Assertions.assertThrows(io.embed4j.Embed4jException.class,
        () -> EmbeddingServer.start(TestServer.model(), ServerConfig.defaults().withPort(s.server.port())));
    assertContains(e.getMessage(), "cannot listen on 127.0.0.1:" + s.server.port());
  }

  @Test
  void unknownRoutesAre404InTheRouteFamilyShape() {
    assertContains(openAiError(s.get("/v1/chat/completions"), 404, "invalid_request_error"), "no route");
    assertContains(teiError(s.post("/nope", "{}"), 404, "not_found"), "no route POST /nope");
  }

  @Test
  void apiKeyIsRequiredOnEveryRouteButHealthWhenSet() {
    try (TestServer keyed = TestServer.start(ServerConfig.defaults().withApiKey("s3cret-key"))) {
      assertContains(openAiError(keyed.post("/v1/embeddings", "{\"input\": \"a\"}"), 401, "invalid_request_error"), "missing API key");
      TestServer.Response wrong = keyed.withKey("s3cret-kez").post("/v1/embeddings", "{\"input\": \"a\"}");
      assertContains(openAiError(wrong, 401, "invalid_request_error"), "incorrect API key");
      assertEquals("invalid_api_key", wrong.json().get("error").get("code").asText());
      assertEquals("Bearer", wrong.headers().firstValue("www-authenticate").orElseThrow());
      assertEquals(401, keyed.withKey("s3cret-key-longer").get("/metrics").status());
      assertEquals(401, keyed.withKey("").post("/embed", "{\"inputs\": \"a\"}").status());
      keyed.withKey("s3cret-key");
      assertEquals(200, keyed.post("/v1/embeddings", "{\"input\": \"a\"}").status());
      assertEquals(200, keyed.post("/embed", "{\"inputs\": \"a\"}").status());
      assertEquals(200, keyed.get("/metrics").status());
      keyed.withKey(null);
      assertEquals(200, keyed.get("/health").status(), "health stays open for probes");
    }
    assertEquals(200, s.post("/v1/embeddings", "{\"input\": \"a\"}").status(), "no key configured: no key needed");
  }

  @Test
  void beyondMaxConcurrentRequestsTheServerAnswers429AtOnce() throws Exception {
    try (TestServer one = TestServer.start(ServerConfig.defaults().withLimits(1, 512, 2_000_000))) {
      String big = "{\"inputs\": [" + String.join(",", java.util.Collections.nCopies(48, "\"" + "word ".repeat(200) + "\"")) + "]}";
      CompletableFuture<TestServer.Response> busy = CompletableFuture.supplyAsync(() -> one.post("/embed", big));
      while (one.server.inFlight() == 0) {
        Thread.sleep(2);
      }
      long t0 = System.nanoTime();
      TestServer.Response rejected = one.post("/v1/embeddings", "{\"input\": \"a\"}");
      assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "429 comes at once, without waiting for the busy request");
      assertContains(openAiError(rejected, 429, "rate_limit_error"), "overloaded");
      assertEquals("rate_limit_exceeded", rejected.json().get("error").get("code").asText());
      assertContains(teiError(one.post("/embed", "{\"inputs\": \"a\"}"), 429, "overloaded"), "1 requests are in flight");
      assertEquals(200, busy.get().status());
      assertEquals(200, one.post("/embed", "{\"inputs\": \"a\"}").status());
    }
  }

  @Test
  void afterABarrageOfBadRequestsTheServerAnswersCorrectlyAndIsHealthy() {
    float[] before = ServerApiTest.floats(s.post("/embed", "{\"inputs\": \"steady\"}").json().get(0));
    List<byte[]> bad = new ArrayList<>();
    for (String b : List.of("{", "nul", "{\"inputs\": [}", "{\"inputs\": []}", "{\"inputs\": [null]}", "{\"inputs\": true}",
        "{\"inputs\": [[\"a\"]]}", "{\"inputs\": \"a\", \"dimensions\": -1}", "{\"inputs\": \"a\", \"dimensions\": 1e99}",
        "{\"inputs\": \"a\", \"dimensions\": 99999999999}", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")) {
      bad.add(b.getBytes(StandardCharsets.UTF_8));
    }
    bad.add(new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xa0, (byte) 0xa1});
    bad.add(concat("{\"inputs\": \"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, "\"}".getBytes(StandardCharsets.UTF_8)));
    bad.add(("{\"inputs\": \"" + "y".repeat(11 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8));
    for (int round = 0; round < 3; round++) {
      for (byte[] b : bad) {
        for (String path : List.of("/embed", "/v1/embeddings")) {
          int status = s.post(path, b).status();
          assertTrue(status == 400 || status == 413 || status == 422, path + " " + new String(b, 0, Math.min(b.length, 60), StandardCharsets.UTF_8) + " -> " + status);
        }
      }
    }
    String hundredK = "z".repeat(50_000) + " " + "word ".repeat(10_000);
    assertEquals(200, s.post("/embed", "{\"inputs\": \"" + hundredK + "\"}").status(), "a 100k-character text is truncated");
    assertContains(teiError(s.post("/embed", "{\"inputs\": \"" + hundredK + "\", \"truncate\": false}"), 422, "validation"), "at most 256");
    assertEquals(200, s.get("/health").status());
    float[] after = ServerApiTest.floats(s.post("/embed", "{\"inputs\": \"steady\"}").json().get(0));
    assertTrue(Arrays.equals(before, after), "same answer after the barrage");
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}

package io.embed4j.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.cli.Embed4jCli;
import io.embed4j.testing.TinyModels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `embed4j serve` in a child JVM: the API key from the environment, --reranker and --sparse-model on
 * /rerank and /embed_sparse, and SIGTERM draining requests in flight, then exit 0.
 */
class ServeCommandTest {
  @TempDir Path tmp;

  @Test
  void sigtermFinishesRequestsInFlightAndExitsZero() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), Embed4jCli.class.getName(), "serve", "--port", "0",
        "--reranker", TinyModels.crossEncoder(tmp.resolve("ce"), 1, "").toString(), "--sparse-model", TinyModels.splade(tmp.resolve("mlm")).toString());
    pb.environment().put("EMBED4J_API_KEY", "from-env");
    // A file, not a pipe: Process.destroy() closes the pipes, and the last lines come after it.
    Path errFile = tmp.resolve("stderr");
    pb.redirectError(errFile.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String url = null;
    Pattern listening = Pattern.compile("serving all-MiniLM-L6-v2 \\(384 dimensions\\) on (http://127\\.0\\.0\\.1:\\d+) with an API key");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (url == null && System.nanoTime() < deadline && p.isAlive()) {
      Thread.sleep(100);
      Matcher m = listening.matcher(Files.readString(errFile));
      if (m.find()) {
        url = m.group(1);
      }
    }
    assertNotNull(url, "the server announced its address: " + Files.readString(errFile));
    try (HttpClient http = HttpClient.newHttpClient()) {
      String base = url;
      HttpRequest.Builder noKey = HttpRequest.newBuilder(URI.create(base + "/v1/embeddings"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"input\": \"x\"}"));
      assertEquals(401, http.send(noKey.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
      HttpResponse<String> rerank = http.send(HttpRequest.newBuilder(URI.create(base + "/rerank")).header("Authorization", "Bearer from-env")
          .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"q\", \"texts\": [\"cat\", \"the cat sat\"], \"raw_scores\": true}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, rerank.statusCode(), rerank.body());
      assertTrue(rerank.body().startsWith("[{\"index\":1,\"score\":" + TinyModels.crossEncoderLogit(3) + "}"), rerank.body());
      HttpResponse<String> sparse = http.send(HttpRequest.newBuilder(URI.create(base + "/embed_sparse")).header("Authorization", "Bearer from-env")
          .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": \"cat\"}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, sparse.statusCode(), sparse.body());
      assertTrue(sparse.body().startsWith("[[{\"index\":"), sparse.body());
      String announced = Files.readString(errFile);
      assertTrue(announced.contains("reranker ce on POST /rerank") && announced.contains("sparse model mlm on POST /embed_sparse"), announced);

      String body = "{\"input\": [" + String.join(",", Collections.nCopies(12, "\"" + "drain me ".repeat(60) + "\"")) + "]}";
      List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        inFlight.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/embeddings")).header("Authorization", "Bearer from-env")
            .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString()));
      }
      HttpRequest metrics = HttpRequest.newBuilder(URI.create(base + "/metrics")).header("Authorization", "Bearer from-env").build();
      while (!http.send(metrics, HttpResponse.BodyHandlers.ofString()).body().contains("embed4j_requests_in_flight{kind=\"embedding\"} 4.0")) {
        Thread.sleep(5); // until all four are in flight
      }
      p.destroy(); // SIGTERM
      for (CompletableFuture<HttpResponse<String>> f : inFlight) {
        HttpResponse<String> r = f.get(120, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"index\":11"), "all 12 vectors came back");
      }
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server exits after draining");
    String err = Files.readString(errFile);
    assertEquals(0, p.exitValue(), "exit code after SIGTERM: " + err);
    assertTrue(err.contains("embed4j: stopped"), err);
  }
}

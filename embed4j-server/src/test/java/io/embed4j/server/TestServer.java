package io.embed4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.embed4j.EmbeddingModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A real server on a free loopback port, over the one all-MiniLM-L6-v2 the test JVM shares, and a plain HTTP client for it. */
final class TestServer implements AutoCloseable {
  private static EmbeddingModel model;

  static synchronized EmbeddingModel model() {
    if (model == null) {
      model = EmbeddingModel.load("all-MiniLM-L6-v2");
    }
    return model;
  }

  final EmbeddingServer server;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  private String apiKey;

  private TestServer(EmbeddingServer server) {
    this.server = server;
  }

  static TestServer start(ServerConfig config) {
    return new TestServer(EmbeddingServer.start(model(), config.withPort(0)));
  }

  static TestServer start(ServedModels models, ServerConfig config) {
    return new TestServer(EmbeddingServer.start(models, config.withPort(0)));
  }

  static TestServer start() {
    return start(ServerConfig.defaults());
  }

  TestServer withKey(String key) {
    this.apiKey = key;
    return this;
  }

  URI uri(String path) {
    return URI.create(server.url() + path);
  }

  record Response(int status, String body, HttpHeaders headers) {
    JsonNode json() {
      try {
        return JsonBodies.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }
  }

  Response post(String path, String json) {
    return post(path, json.getBytes(StandardCharsets.UTF_8));
  }

  Response post(String path, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(120));
    return send(b);
  }

  Response get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET().timeout(Duration.ofSeconds(60)));
  }

  Response send(HttpRequest.Builder b) {
    if (apiKey != null) {
      b.header("Authorization", "Bearer " + apiKey);
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.shutdown();
    http.close();
  }
}

package io.embed4j.server;

import io.embed4j.batch.DynamicBatcher;
import java.time.Duration;
import java.util.List;

/**
 * How the server listens, authenticates and limits work. Every bound is checked here, and each
 * message names the command-line flag that sets it.
 *
 * @param host address to bind (loopback by default: serving a network is a choice)
 * @param port TCP port; 0 picks a free one
 * @param apiKey Bearer token every route but /health requires; null for none
 * @param corsOrigins origins allowed to call from a browser; empty turns CORS off
 * @param maxConcurrentRequests embedding requests in flight at once; beyond it, 429 at once
 * @param maxBatchTokens padded tokens per encoder batch (texts x longest)
 * @param maxBatchSize texts per encoder batch
 * @param maxClientBatchSize inputs one request may carry; beyond it, 413
 * @param payloadLimit request body bytes; beyond it, 413
 * @param tokenizationWorkers threads tokenizing requests while the encoder runs
 * @param autoTruncate truncate over-long inputs unless a TEI request says {@code truncate: false}; off: 422
 * @param shutdownGrace how long a shutdown waits for requests in flight
 */
public record ServerConfig(
    String host,
    int port,
    String apiKey,
    List<String> corsOrigins,
    int maxConcurrentRequests,
    int maxBatchTokens,
    int maxBatchSize,
    int maxClientBatchSize,
    long payloadLimit,
    int tokenizationWorkers,
    boolean autoTruncate,
    Duration shutdownGrace) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;

  public ServerConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("--host must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0..65535, got " + port);
    }
    if (apiKey != null && apiKey.isBlank()) {
      throw new IllegalArgumentException("--api-key must not be blank (leave it out to serve without a key)");
    }
    corsOrigins = List.copyOf(corsOrigins);
    positive("--max-concurrent-requests", maxConcurrentRequests);
    positive("--max-batch-tokens", maxBatchTokens);
    positive("--max-batch-size", maxBatchSize);
    positive("--max-client-batch-size", maxClientBatchSize);
    positive("--tokenization-workers", tokenizationWorkers);
    if (payloadLimit < 1024) {
      throw new IllegalArgumentException("--payload-limit must be >= 1024 bytes, got " + payloadLimit);
    }
    if (shutdownGrace.isNegative()) {
      throw new IllegalArgumentException("--shutdown-grace must be >= 0, got " + shutdownGrace);
    }
  }

  private static void positive(String flag, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(flag + " must be >= 1, got " + value);
    }
  }

  /** Loopback:8080, no key, no CORS; batching as offline encoding; TEI's request limits. */
  public static ServerConfig defaults() {
    DynamicBatcher.Config b = DynamicBatcher.Config.defaults();
    return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, null, List.of(), b.maxConcurrentRequests(), b.maxBatchTokens(),
        b.maxBatchSize(), 512, 2_000_000, b.tokenizationWorkers(), true, Duration.ofSeconds(30));
  }

  public ServerConfig withPort(int p) {
    return new ServerConfig(host, p, apiKey, corsOrigins, maxConcurrentRequests, maxBatchTokens, maxBatchSize,
        maxClientBatchSize, payloadLimit, tokenizationWorkers, autoTruncate, shutdownGrace);
  }

  public ServerConfig withApiKey(String key) {
    return new ServerConfig(host, port, key, corsOrigins, maxConcurrentRequests, maxBatchTokens, maxBatchSize,
        maxClientBatchSize, payloadLimit, tokenizationWorkers, autoTruncate, shutdownGrace);
  }

  public ServerConfig withLimits(int concurrentRequests, int clientBatchSize, long payloadBytes) {
    return new ServerConfig(host, port, apiKey, corsOrigins, concurrentRequests, maxBatchTokens, maxBatchSize,
        clientBatchSize, payloadBytes, tokenizationWorkers, autoTruncate, shutdownGrace);
  }

  public ServerConfig withBatching(int batchTokens, int batchSize) {
    return new ServerConfig(host, port, apiKey, corsOrigins, maxConcurrentRequests, batchTokens, batchSize,
        maxClientBatchSize, payloadLimit, tokenizationWorkers, autoTruncate, shutdownGrace);
  }

  public ServerConfig withCors(List<String> origins) {
    return new ServerConfig(host, port, apiKey, origins, maxConcurrentRequests, maxBatchTokens, maxBatchSize,
        maxClientBatchSize, payloadLimit, tokenizationWorkers, autoTruncate, shutdownGrace);
  }

  public DynamicBatcher.Config batcherConfig() {
    return new DynamicBatcher.Config(maxBatchTokens, maxBatchSize, maxConcurrentRequests, tokenizationWorkers);
  }

  @Override
  public String toString() {
    // Never print the key.
    return "ServerConfig[" + host + ":" + port + ", apiKey=" + (apiKey == null ? "none" : "set") + ", cors=" + corsOrigins
        + ", maxConcurrentRequests=" + maxConcurrentRequests + ", maxBatchTokens=" + maxBatchTokens + ", maxBatchSize="
        + maxBatchSize + ", maxClientBatchSize=" + maxClientBatchSize + ", payloadLimit=" + payloadLimit
        + ", tokenizationWorkers=" + tokenizationWorkers + ", autoTruncate=" + autoTruncate + ", shutdownGrace=" + shutdownGrace + "]";
  }
}

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
 * @param maxConcurrentRequests requests in flight at once, per model (embedding, reranker, sparse); beyond it, 429 at once
 * @param maxBatchTokens padded tokens per encoder batch (texts x longest)
 * @param maxBatchSize texts per encoder batch
 * @param maxClientBatchSize inputs one request may carry; beyond it, 413
 * @param payloadLimit request body bytes; beyond it, 413
 * @param tokenizationWorkers threads tokenizing requests while the encoder runs
 * @param inferenceWorkers encoder batches run at once (one per core pays off when the model runs one thread per batch)
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
    int inferenceWorkers,
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
    positive("--inference-workers", inferenceWorkers);
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

  /** Texts per encoder batch the server cuts by default: see {@link #defaults()}. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 16;

  /**
   * Loopback:8080, no key, no CORS; 2048 tokens and 16 texts per batch, one batch at a time; TEI's
   * request limits (512 concurrent requests, 2 MB bodies) with 512 inputs per request. Batches of
   * 16 rather than offline encoding's 32: the queue rarely holds many batches' worth, and smaller
   * batches drawn from it group similar lengths better (less padding).
   */
  public static ServerConfig defaults() {
    DynamicBatcher.Config b = DynamicBatcher.Config.defaults();
    return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, null, List.of(), b.maxConcurrentRequests(), b.maxBatchTokens(),
        DEFAULT_MAX_BATCH_SIZE, 512, 2_000_000, b.tokenizationWorkers(), 1, true, Duration.ofSeconds(30));
  }

  /**
   * Inference workers for a model loaded with {@code cores / workers} intra-op threads: one batch
   * per core up to 4. On few cores, batches on single-threaded sessions side by side lose far less
   * to the request handling sharing those cores than one batch split across all of them.
   */
  public static int autoInferenceWorkers() {
    return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
  }

  public ServerConfig withPort(int p) {
    return new ServerConfig(host, p, apiKey, corsOrigins, maxConcurrentRequests, maxBatchTokens, maxBatchSize,
        maxClientBatchSize, payloadLimit, tokenizationWorkers, inferenceWorkers, autoTruncate, shutdownGrace);
  }

  public ServerConfig withApiKey(String key) {
    return new ServerConfig(host, port, key, corsOrigins, maxConcurrentRequests, maxBatchTokens, maxBatchSize,
        maxClientBatchSize, payloadLimit, tokenizationWorkers, inferenceWorkers, autoTruncate, shutdownGrace);
  }

  public ServerConfig withLimits(int concurrentRequests, int clientBatchSize, long payloadBytes) {
    return new ServerConfig(host, port, apiKey, corsOrigins, concurrentRequests, maxBatchTokens, maxBatchSize,
        clientBatchSize, payloadBytes, tokenizationWorkers, inferenceWorkers, autoTruncate, shutdownGrace);
  }

  public ServerConfig withBatching(int batchTokens, int batchSize) {
    return new ServerConfig(host, port, apiKey, corsOrigins, maxConcurrentRequests, batchTokens, batchSize,
        maxClientBatchSize, payloadLimit, tokenizationWorkers, inferenceWorkers, autoTruncate, shutdownGrace);
  }

  public ServerConfig withCors(List<String> origins) {
    return new ServerConfig(host, port, apiKey, origins, maxConcurrentRequests, maxBatchTokens, maxBatchSize,
        maxClientBatchSize, payloadLimit, tokenizationWorkers, inferenceWorkers, autoTruncate, shutdownGrace);
  }

  public ServerConfig withInferenceWorkers(int workers) {
    return new ServerConfig(host, port, apiKey, corsOrigins, maxConcurrentRequests, maxBatchTokens, maxBatchSize,
        maxClientBatchSize, payloadLimit, tokenizationWorkers, workers, autoTruncate, shutdownGrace);
  }

  public DynamicBatcher.Config batcherConfig() {
    return new DynamicBatcher.Config(maxBatchTokens, maxBatchSize, maxConcurrentRequests, tokenizationWorkers, inferenceWorkers);
  }

  @Override
  public String toString() {
    // Never print the key.
    return "ServerConfig[" + host + ":" + port + ", apiKey=" + (apiKey == null ? "none" : "set") + ", cors=" + corsOrigins
        + ", maxConcurrentRequests=" + maxConcurrentRequests + ", maxBatchTokens=" + maxBatchTokens + ", maxBatchSize="
        + maxBatchSize + ", maxClientBatchSize=" + maxClientBatchSize + ", payloadLimit=" + payloadLimit
        + ", tokenizationWorkers=" + tokenizationWorkers + ", inferenceWorkers=" + inferenceWorkers + ", autoTruncate=" + autoTruncate + ", shutdownGrace=" + shutdownGrace + "]";
  }
}

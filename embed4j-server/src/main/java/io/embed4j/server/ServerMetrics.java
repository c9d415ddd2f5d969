package io.embed4j.server;

import io.embed4j.batch.BatchResult;
import io.embed4j.batch.DynamicBatcher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The server's Prometheus metrics: requests by route and status with their durations; per
 * request, time queued, tokenizing and in inference; per encoder batch, its size in texts and
 * tokens; and the queue depth and requests in flight. Routes are the registered paths (unknown
 * paths count as "other"), so a scan of random URLs cannot grow the series.
 */
final class ServerMetrics {
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
    Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
    Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)
  };

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer queue = timer("embed4j.request.queue", "Time a request's inputs waited for an encoder batch");
  private final Timer tokenization = timer("embed4j.request.tokenization", "Time spent tokenizing a request");
  private final Timer inference = timer("embed4j.request.inference", "Time of the encoder batches a request ran in");
  private final DistributionSummary batchTexts = DistributionSummary.builder("embed4j.batch.texts")
      .description("Inputs per encoder batch").serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
      .register(registry);
  private final DistributionSummary batchTokens = DistributionSummary.builder("embed4j.batch.tokens")
      .description("Padded tokens per encoder batch (texts x longest)")
      .serviceLevelObjectives(64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768).register(registry);
  private final Timer batchDuration = timer("embed4j.batch.duration", "Time an encoder batch takes: encoder, pooling, normalization");
  private final Counter batchRealTokens = Counter.builder("embed4j.batch.real.tokens")
      .description("Tokens that carried text, over all batches (padding left out)").register(registry);

  private Timer timer(String name, String description) {
    return Timer.builder(name).description(description).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
  }

  /** Gauges read the batcher when scraped. */
  void bind(DynamicBatcher batcher) {
    Gauge.builder("embed4j.queue.depth", batcher, DynamicBatcher::queueDepth)
        .description("Inputs tokenized and waiting for an encoder batch").register(registry);
    Gauge.builder("embed4j.requests.in.flight", batcher, DynamicBatcher::inFlight)
        .description("Embedding requests taken and not yet answered").register(registry);
  }

  void request(String route, String method, int status, long nanos) {
    Tags tags = Tags.of("route", route, "method", method, "status", Integer.toString(status));
    registry.counter("embed4j.http.requests", tags).increment();
    Timer.builder("embed4j.http.request.duration").tags("route", route).serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  void result(BatchResult r) {
    queue.record(r.queueNanos(), TimeUnit.NANOSECONDS);
    tokenization.record(r.tokenizeNanos(), TimeUnit.NANOSECONDS);
    inference.record(r.inferenceNanos(), TimeUnit.NANOSECONDS);
  }

  void batch(DynamicBatcher.BatchStats s) {
    batchTexts.record(s.texts());
    batchTokens.record(s.paddedTokens());
    batchRealTokens.increment(s.realTokens());
    batchDuration.record(s.nanos(), TimeUnit.NANOSECONDS);
  }

  /** Prometheus text exposition. */
  String scrape() {
    return registry.scrape();
  }
}

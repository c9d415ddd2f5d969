package io.embed4j.server;

import io.embed4j.batch.BatchResult;
import io.embed4j.batch.CallBatcher;
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
 * request, time queued, tokenizing and in inference; per inference batch, its size in texts and
 * tokens; and the queue depth and requests in flight. Batch and queue series carry the model kind
 * ({@code kind="embedding"}, {@code "rerank"}, {@code "sparse"}). Routes are the registered paths (unknown
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
  private final java.util.Map<String, BatchMeters> batchMeters = new java.util.concurrent.ConcurrentHashMap<>();

  /** Per model kind (embedding, rerank, sparse): its batches' sizes, tokens and durations. */
  private final class BatchMeters {
    final DistributionSummary texts;
    final DistributionSummary tokens;
    final Timer duration;
    final Counter realTokens;

    BatchMeters(String kind) {
      texts = DistributionSummary.builder("embed4j.batch.texts").tag("kind", kind)
          .description("Inputs per inference batch (texts, or pairs for rerank)").serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
          .register(registry);
      tokens = DistributionSummary.builder("embed4j.batch.tokens").tag("kind", kind)
          .description("Padded tokens per inference batch (texts x longest)")
          .serviceLevelObjectives(64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768).register(registry);
      duration = Timer.builder("embed4j.batch.duration").tag("kind", kind)
          .description("Time an inference batch takes: encoder, pooling, post-processing").serviceLevelObjectives(LATENCY_BUCKETS)
          .register(registry);
      realTokens = Counter.builder("embed4j.batch.real.tokens").tag("kind", kind)
          .description("Tokens that carried text, over all batches (padding left out)").register(registry);
    }
  }

  private Timer timer(String name, String description) {
    return Timer.builder(name).description(description).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
  }

  /** Gauges read the batcher when scraped. */
  void bind(DynamicBatcher batcher) {
    bind("embedding", batcher, b -> b.queueDepth(), b -> b.inFlight(), b -> b.dropped());
  }

  void bind(CallBatcher<?, ?, ?> batcher, String kind) {
    bind(kind, batcher, b -> b.queueDepth(), b -> b.inFlight(), b -> b.dropped());
  }

  /** The meters hold {@code batcher} weakly, as Micrometer does: the server holds it for as long as it runs. */
  private <B> void bind(String kind, B batcher, java.util.function.ToDoubleFunction<B> depth, java.util.function.ToDoubleFunction<B> inFlight,
      java.util.function.ToDoubleFunction<B> dropped) {
    io.micrometer.core.instrument.FunctionCounter.builder("embed4j.queue.dropped", batcher, dropped).tag("kind", kind)
        .description("Queued inputs (requests, for rerank and sparse) dropped unrun: cancelled, or their client went away").register(registry);
    Gauge.builder("embed4j.queue.depth", batcher, depth).tag("kind", kind)
        .description("Inputs waiting for an inference batch").register(registry);
    Gauge.builder("embed4j.requests.in.flight", batcher, inFlight).tag("kind", kind)
        .description("Requests taken by a batcher and not yet answered").register(registry);
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

  /** A listener that records one kind's batches. */
  DynamicBatcher.Listener batches(String kind) {
    BatchMeters m = batchMeters.computeIfAbsent(kind, BatchMeters::new);
    return s -> {
      m.texts.record(s.texts());
      m.tokens.record(s.paddedTokens());
      m.realTokens.increment(s.realTokens());
      m.duration.record(s.nanos(), TimeUnit.NANOSECONDS);
    };
  }

  /** Prometheus text exposition. */
  String scrape() {
    return registry.scrape();
  }
}

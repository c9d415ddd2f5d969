package io.embed4j.server;

import io.embed4j.Embed4jException;
import io.embed4j.EmbeddingModel;
import io.embed4j.batch.BatchRequest;
import io.embed4j.batch.BatchResult;
import io.embed4j.batch.DynamicBatcher;
import io.embed4j.batch.Truncation;
import io.javalin.http.Context;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Between the handlers and the batcher: hands a request to the {@link DynamicBatcher}, waits for it
 * on the request's virtual thread, records its timings, and sets TEI's timing headers.
 */
final class Infer {
  private final EmbeddingModel model;
  private final DynamicBatcher batcher;
  private final ServerMetrics metrics;
  private final ServerConfig config;

  Infer(EmbeddingModel model, ServerConfig config, ServerMetrics metrics) {
    this.model = model;
    this.config = config;
    this.metrics = metrics;
    this.batcher = DynamicBatcher.start(model, config.batcherConfig(), metrics.batches("embedding"));
    metrics.bind(batcher);
  }

  EmbeddingModel model() {
    return model;
  }

  ServerConfig config() {
    return config;
  }

  DynamicBatcher batcher() {
    return batcher;
  }

  /** TEI's truncate / truncation_direction, with --auto-truncate when the request does not say. */
  Truncation truncation(Boolean truncate, String direction) {
    if (!(truncate != null ? truncate : config.autoTruncate())) {
      return Truncation.REJECT;
    }
    return "left".equals(direction) ? Truncation.LEFT : Truncation.RIGHT;
  }

  /** Runs a request through the batcher; failures come out as the batcher's exceptions. */
  BatchResult run(Context ctx, BatchRequest request, long startedNanos) {
    BatchResult result = await(ctx, batcher.submit(request));
    metrics.result(result);
    setTimingHeaders(ctx, request.inputs(), result, startedNanos);
    return result;
  }

  /**
   * Waits on the request's virtual thread for a batcher's answer. A client that closes its
   * connection meanwhile cancels the future, so its queued inputs are dropped unrun; it is answered
   * 499 (nobody reads it), which /metrics counts.
   */
  static <T> T await(Context ctx, CompletableFuture<T> future) {
    AtomicBoolean clientGone = new AtomicBoolean();
    try (DisconnectWatch watch = DisconnectWatch.start(ctx, () -> {
      clientGone.set(true);
      future.cancel(false);
    })) {
      return future.get();
    } catch (CancellationException e) {
      if (clientGone.get()) {
        throw ApiException.clientClosed();
      }
      throw new Embed4jException.Unavailable("request cancelled: the server is stopping");
    } catch (InterruptedException e) {
      future.cancel(false);
      Thread.currentThread().interrupt();
      throw new Embed4jException.Unavailable("request interrupted: the server is stopping");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new Embed4jException("inference failed: " + e.getCause(), e.getCause());
    }
  }

  private static void setTimingHeaders(Context ctx, List<BatchRequest.Input> inputs, BatchResult r, long startedNanos) {
    long chars = 0;
    for (BatchRequest.Input in : inputs) {
      chars += in.size();
    }
    ctx.header("x-compute-characters", Long.toString(chars));
    ctx.header("x-compute-tokens", Long.toString(r.tokens()));
    ctx.header("x-total-time", millis(System.nanoTime() - startedNanos));
    ctx.header("x-tokenization-time", millis(r.tokenizeNanos()));
    ctx.header("x-queue-time", millis(r.queueNanos()));
    ctx.header("x-inference-time", millis(r.inferenceNanos()));
  }

  private static String millis(long nanos) {
    return Long.toString(nanos / 1_000_000);
  }

  boolean healthy() {
    return batcher.isRunning();
  }

  void close() {
    batcher.close();
  }
}

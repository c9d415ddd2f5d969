package io.embed4j.server;

import io.embed4j.EmbeddingModel;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * An HTTP server for one embedding model, speaking OpenAI's and TEI's APIs: handler → {@link Infer}
 * → {@link io.embed4j.batch.DynamicBatcher} → the model's backend; optionally a reranker
 * ({@code /rerank}) and a sparse model ({@code /embed_sparse}), each behind a
 * {@link io.embed4j.batch.CallBatcher}. Javalin on virtual threads; every
 * request is one virtual thread that waits for its batch.
 *
 * <pre>{@code
 * EmbeddingServer server = EmbeddingServer.start(model, ServerConfig.defaults().withPort(0));
 * ... server.port() ...
 * server.shutdown();   // stops accepting, answers what is in flight, stops
 * }</pre>
 *
 * The caller keeps owning the model: close it after {@link #shutdown}.
 */
public final class EmbeddingServer implements AutoCloseable {
  public static final String VERSION = "0.1.0";

  /** Routes the metrics name; any other path counts as "other". */
  private static final Set<String> ROUTES = Set.of("/v1/embeddings", "/v1/models", "/embed", "/embed_all", "/similarity",
      "/tokenize", "/decode", "/rerank", "/embed_sparse", "/info", "/health", "/metrics");

  private final ServerConfig config;
  private final ServerMetrics metrics = new ServerMetrics();
  private final Infer infer;
  private final RerankRoute rerank;
  private final SparseRoute sparse;
  private final Javalin app;
  private final byte[] apiKeyHash;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean draining;

  private EmbeddingServer(ServedModels models, ServerConfig config) {
    this.config = config;
    this.apiKeyHash = config.apiKey() == null ? null : sha256(config.apiKey());
    this.infer = new Infer(models.embedding(), config, metrics);
    this.rerank = models.reranker() == null ? null : new RerankRoute(models.reranker(), infer, metrics);
    this.sparse = models.sparse() == null ? null : new SparseRoute(models.sparse(), infer, metrics);
    OpenAiApi openAi = new OpenAiApi(infer);
    TeiApi tei = new TeiApi(infer, rerank, sparse);
    this.app = Javalin.create(c -> {
      c.startup.showJavalinBanner = false;
      c.startup.showOldJavalinVersionWarning = false;
      c.concurrency.useVirtualThreads = true;
      c.http.maxRequestSize = config.payloadLimit();
      // Float vectors compress poorly and the CPU is what the encoder needs: no response compression.
      c.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
      c.jetty.modifyServer(server -> {
        // Jetty's graceful stop: connectors stop accepting, requests in flight finish (up to the
        // grace period), requests arriving on open connections meanwhile get 503.
        server.setHandler(new GracefulHandler());
        server.setStopTimeout(config.shutdownGrace().toMillis());
        server.setStopAtShutdown(false);
      });
      if (!config.corsOrigins().isEmpty()) {
        c.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
          for (String origin : config.corsOrigins()) {
            if (origin.equals("*")) {
              rule.anyHost();
            } else {
              rule.allowHost(origin);
            }
          }
          rule.exposeHeader("x-compute-tokens");
        }));
      }
      c.requestLogger.http((ctx, ms) -> metrics.request(routeLabel(ctx.path()), ctx.method().name(), ctx.statusCode(),
          (long) (ms * 1_000_000)));
      c.routes.before(this::authenticate);
      c.routes.exception(Exception.class, (e, ctx) -> writeError(ctx, e));
      c.routes.error(404, ctx -> {
        String type = ctx.res().getContentType();
        if (type == null || !type.startsWith("application/json")) { // not one of ours: Javalin's unmatched route
          writeError(ctx, ApiException.notFound("no route " + ctx.method() + " " + ctx.path()));
        }
      });
      c.routes.get("/health", this::health);
      c.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
      openAi.register(c.routes);
      tei.register(c.routes);
    });
  }

  /** Starts the batcher and the HTTP server for one embedding model; returns once it listens. */
  public static EmbeddingServer start(EmbeddingModel model, ServerConfig config) {
    return start(ServedModels.of(model), config);
  }

  /** Starts the batchers and the HTTP server for an embedding model and optional reranker and sparse model. */
  public static EmbeddingServer start(ServedModels models, ServerConfig config) {
    EmbeddingServer s = new EmbeddingServer(models, config);
    try {
      s.app.start(config.host(), config.port());
    } catch (RuntimeException e) {
      s.closeBatchers();
      throw new io.embed4j.Embed4jException("cannot listen on " + config.host() + ":" + config.port() + ": " + rootMessage(e)
          + " (another server on that port? choose one with --port, or 0 for any free one)", e);
    }
    return s;
  }

  private static String rootMessage(Throwable e) {
    while (e.getCause() != null) {
      e = e.getCause();
    }
    return e.getMessage();
  }

  /** The port it listens on (the chosen one when started with port 0). */
  public int port() {
    return app.port();
  }

  public ServerConfig config() {
    return config;
  }

  /** Requests taken by the batchers (embedding, rerank, sparse) and not yet answered. */
  public int inFlight() {
    return infer.batcher().inFlight() + (rerank == null ? 0 : rerank.inFlight()) + (sparse == null ? 0 : sparse.inFlight());
  }

  /** Base URL, e.g. {@code http://127.0.0.1:8080}. */
  public String url() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return "http://" + host + ":" + port();
  }

  private static String routeLabel(String path) {
    if (ROUTES.contains(path)) {
      return path;
    }
    return path.startsWith("/v1/models/") ? "/v1/models/{model}" : "other";
  }

  private void health(Context ctx) {
    if (draining || !infer.healthy() || (rerank != null && !rerank.healthy()) || (sparse != null && !sparse.healthy())) {
      throw new io.embed4j.Embed4jException.Unavailable("unhealthy: the server is shutting down");
    }
    Responses.json(ctx, java.util.Map.of("status", "ok"));
  }

  private void authenticate(Context ctx) {
    if (apiKeyHash == null || ctx.path().equals("/health") || ctx.method().name().equals("OPTIONS")) {
      return;
    }
    String header = ctx.header("Authorization");
    String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    // Compare digests: MessageDigest.isEqual takes the same time wherever the inputs differ, and
    // hashing first hides the key's length too.
    if (token == null || !MessageDigest.isEqual(sha256(token), apiKeyHash)) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw ApiException.unauthorized(token == null
          ? "missing API key: send it as 'Authorization: Bearer <key>'"
          : "incorrect API key");
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void writeError(Context ctx, Exception e) {
    ErrorMapper.ApiError error = ErrorMapper.map(e);
    if (error.status() == 500) {
      System.err.println("embed4j-server: " + ctx.method() + " " + ctx.path() + " failed: " + e);
      e.printStackTrace();
    }
    ctx.status(error.status());
    Responses.json(ctx, ErrorMapper.body(error, ErrorMapper.isOpenAiPath(ctx.path())));
  }

  /**
   * Graceful shutdown: /health turns 503, the server stops accepting connections, requests in flight
   * are answered (up to the configured grace), then the batcher and the HTTP server stop. Safe to
   * call more than once and from several threads; every caller returns once it is done.
   */
  public void shutdown() {
    if (!stopping.compareAndSet(false, true)) {
      awaitStopped();
      return;
    }
    try {
      draining = true;
      awaitIdle();
      app.stop();
      closeBatchers();
    } finally {
      stopped.countDown();
    }
  }

  /**
   * Waits (within the grace period) until the batcher holds no request, then a moment more: Jetty
   * counts a request done when its handler returns, while a large response may still be flushing,
   * and stopping then cut such responses at the output buffer (32 KiB) under load.
   */
  private void awaitIdle() {
    long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
    try {
      while (inFlight() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(Math.min(250, Math.max(0, (deadline - System.nanoTime()) / 1_000_000)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeBatchers() {
    infer.close();
    if (rerank != null) {
      rerank.close();
    }
    if (sparse != null) {
      sparse.close();
    }
  }

  /** Blocks until {@link #shutdown} has finished. */
  public void awaitStopped() {
    boolean interrupted = false;
    while (true) {
      try {
        stopped.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    shutdown();
  }
}

package io.embed4j.cli.serve;

import io.embed4j.EmbeddingModel;
import io.embed4j.cli.ModelOptions;
import io.embed4j.rerank.CrossEncoderOptions;
import io.embed4j.server.EmbeddingServer;
import io.embed4j.server.Reranker;
import io.embed4j.server.ServedModels;
import io.embed4j.server.ServerConfig;
import io.embed4j.server.ShutdownSignals;
import io.embed4j.sparse.SparseEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code embed4j serve}: one model over OpenAI's and TEI's HTTP APIs, until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve one model over HTTP: OpenAI's POST /v1/embeddings and GET /v1/models; TEI's /embed, /embed_all, "
        + "/similarity, /tokenize, /decode, /info; /rerank and /embed_sparse with --reranker and --sparse-model; "
        + "GET /health and /metrics (Prometheus). Concurrent requests are batched "
        + "together by a token budget. SIGTERM or Ctrl-C stops accepting, answers the requests in flight and exits 0.")
public final class ServeCommand implements Callable<Integer> {
  @Mixin ModelOptions modelOptions;

  @Option(names = "--reranker", paramLabel = "DIR|HUB_ID",
      description = "Also serve this cross-encoder on POST /rerank (TEI's request and response). Default: none (/rerank answers 424).")
  String reranker;

  @Option(names = "--sparse-model", paramLabel = "DIR|HUB_ID",
      description = "Also serve this SPLADE model on POST /embed_sparse (TEI's shape). Default: none (/embed_sparse answers 424).")
  String sparseModel;

  @Option(names = "--host", defaultValue = ServerConfig.DEFAULT_HOST,
      description = "Address to listen on. Default: ${DEFAULT-VALUE} (this machine only; use 0.0.0.0 to serve a network).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "TCP port (0 picks a free one). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--api-key", defaultValue = "${env:EMBED4J_API_KEY}",
      description = "Require 'Authorization: Bearer <key>' on every route but /health. Default: $EMBED4J_API_KEY, else none.")
  String apiKey;

  @Option(names = "--cors-allow-origin", paramLabel = "ORIGIN",
      description = "Let browser pages from ORIGIN call the API (repeatable; * for any). Default: CORS off.")
  List<String> corsOrigins = new ArrayList<>();

  @Option(names = "--max-concurrent-requests", defaultValue = "512",
      description = "Requests in flight at once, per model (embedding, reranker, sparse); more get 429 at once. Default: ${DEFAULT-VALUE}.")
  int maxConcurrentRequests;

  @Option(names = "--max-batch-tokens", defaultValue = "2048",
      description = "Padded tokens per encoder batch (texts x longest). Default: ${DEFAULT-VALUE}.")
  int maxBatchTokens;

  @Option(names = "--max-batch-size", defaultValue = "16", description = "Texts per encoder batch. Default: ${DEFAULT-VALUE}.")
  int maxBatchSize;

  @Option(names = "--max-client-batch-size", defaultValue = "512",
      description = "Inputs one request may carry; more get 413. Default: ${DEFAULT-VALUE}.")
  int maxClientBatchSize;

  @Option(names = "--payload-limit", defaultValue = "2000000",
      description = "Request body bytes; larger bodies get 413. Default: ${DEFAULT-VALUE}.")
  long payloadLimit;

  @Option(names = "--tokenization-workers", defaultValue = "0",
      description = "Threads tokenizing requests while the encoder runs (0 = half the cores).")
  int tokenizationWorkers;

  @Option(names = "--inference-workers", defaultValue = "0",
      description = "Encoder batches run side by side (0 = one per core, at most 4). With --threads 0 each batch gets "
          + "cores / workers threads.")
  int inferenceWorkers;

  @Option(names = "--auto-truncate", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Truncate inputs longer than the model takes (TEI requests may say truncate: false); "
          + "--no-auto-truncate answers 422 instead. Default: on.")
  boolean autoTruncate;

  @Option(names = "--shutdown-grace", defaultValue = "30",
      description = "Seconds a stop waits for requests in flight. Default: ${DEFAULT-VALUE}.")
  int shutdownGraceSeconds;

  @Override
  public Integer call() {
    int cores = Runtime.getRuntime().availableProcessors();
    int tokenizers = tokenizationWorkers == 0 ? Math.max(1, cores / 2) : tokenizationWorkers;
    int inference = inferenceWorkers == 0 ? ServerConfig.autoInferenceWorkers() : inferenceWorkers;
    if (modelOptions.threads == 0) {
      modelOptions.threads = Math.max(1, cores / inference);
    }
    ServerConfig config = new ServerConfig(host, port, apiKey == null || apiKey.isEmpty() ? null : apiKey, corsOrigins,
        maxConcurrentRequests, maxBatchTokens, maxBatchSize, maxClientBatchSize, payloadLimit, tokenizers, inference,
        autoTruncate, Duration.ofSeconds(shutdownGraceSeconds));
    try (EmbeddingModel model = modelOptions.load();
        Reranker rerank = reranker == null ? null : Reranker.load(reranker, CrossEncoderOptions.defaults());
        SparseEncoder sparse = sparseModel == null ? null : SparseEncoder.load(sparseModel)) {
      EmbeddingServer server = EmbeddingServer.start(new ServedModels(model, rerank, sparse), config);
      ShutdownSignals.install(server::shutdown);
      System.err.println("embed4j: serving " + model.name() + " (" + model.dimensions() + " dimensions) on " + server.url()
          + (config.apiKey() != null ? " with an API key" : "") + "; Ctrl-C or SIGTERM stops");
      if (rerank != null) {
        System.err.println("embed4j: reranker " + rerank.name() + " on POST /rerank");
      }
      if (sparse != null) {
        System.err.println("embed4j: sparse model " + sparse.name() + " on POST /embed_sparse");
      }
      server.awaitStopped();
      System.err.println("embed4j: stopped");
    }
    return 0;
  }
}

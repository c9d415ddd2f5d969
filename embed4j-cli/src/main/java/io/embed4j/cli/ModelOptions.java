package io.embed4j.cli;

import io.embed4j.EmbeddingModel;
import io.embed4j.backend.BackendOptions;
import io.embed4j.model.Embed4jHome;
import io.embed4j.model.ModelCatalog;
import picocli.CommandLine.Option;

/** The options every command that loads a model shares. */
public final class ModelOptions {
  @Option(names = {"-m", "--model"}, defaultValue = ModelCatalog.DEFAULT_MODEL,
      description = "Catalog name, sentence-transformers directory or Hugging Face Hub id (org/name[@revision]). Default: ${DEFAULT-VALUE}.")
  public String model;

  @Option(names = "--threads", defaultValue = "0", description = "Inference threads (0 = one per core).")
  public int threads;

  @Option(names = "--graph-optimization", defaultValue = "all",
      description = "ONNX Runtime graph optimization: disable, basic, extended or all. Default: ${DEFAULT-VALUE}.")
  public String graphOptimization;

  @Option(names = "--no-ort-cache", description = "Do not cache the optimized graph (under $EMBED4J_HOME/ort-cache).")
  public boolean noOrtCache;

  public EmbeddingModel load() {
    if (threads < 0) {
      throw new IllegalArgumentException("--threads must be >= 0, got " + threads);
    }
    BackendOptions options = new BackendOptions(threads, graphOptimization,
        noOrtCache ? null : Embed4jHome.dir().resolve("ort-cache"));
    return EmbeddingModel.load(model, options);
  }
}

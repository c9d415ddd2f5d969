package io.embed4j.cli.search;

import io.embed4j.EmbeddingModel;
import io.embed4j.backend.BackendOptions;
import io.embed4j.index.SemanticIndex;
import io.embed4j.model.Embed4jHome;
import picocli.CommandLine.Option;

/** Model options of the index commands: no default model, because an existing index names its own. */
public final class IndexModelOptions {
  @Option(names = {"-m", "--model"},
      description = "Model for a new index (default all-MiniLM-L6-v2). An existing index uses the model that built it; "
          + "naming another is refused (see reindex).")
  public String model;

  @Option(names = "--threads", defaultValue = "0", description = "Inference threads (0 = one per core).")
  public int threads;

  public SemanticIndex.ModelLoader loader() {
    if (threads < 0) {
      throw new IllegalArgumentException("--threads must be >= 0, got " + threads);
    }
    BackendOptions options = new BackendOptions(threads, "all", Embed4jHome.dir().resolve("ort-cache"));
    return name -> EmbeddingModel.load(name, options);
  }
}

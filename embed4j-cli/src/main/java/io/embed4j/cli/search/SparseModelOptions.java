package io.embed4j.cli.search;

import io.embed4j.Embed4jException;
import io.embed4j.backend.BackendOptions;
import io.embed4j.index.SparseIndexOptions;
import io.embed4j.model.Embed4jHome;
import io.embed4j.sparse.SparseEncoder;
import picocli.CommandLine.Option;

/** The sparse (SPLADE) model of an index and its pruning: a mixin of the index, search, reindex and eval commands. */
public final class SparseModelOptions {
  @Option(names = "--sparse-model", paramLabel = "DIR|HUB_ID",
      description = "SPLADE model (masked-LM directory or Hub id) whose sparse vectors a new index stores beside the dense ones "
          + "(enables --mode sparse and hybrids fusing sparse). An existing index uses the one it records; naming another is refused.")
  public String model;

  @Option(names = "--sparse-doc-max-dims", paramLabel = "N",
      description = "Keep the largest N terms of each chunk's sparse vector (default: all). Fixed when the index is built.")
  public Integer documentMaxDims;

  @Option(names = "--sparse-doc-threshold", paramLabel = "W",
      description = "Drop chunk terms whose weight is not above W (default 0). Fixed when the index is built.")
  public Float documentThreshold;

  @Option(names = "--sparse-query-max-dims", defaultValue = "0", paramLabel = "N",
      description = "Keep the largest N terms of the query's sparse vector (0: all). Default: ${DEFAULT-VALUE}.")
  public int queryMaxDims;

  /** The options for the index, loading with {@code threads} inference threads. */
  public SparseIndexOptions toIndexOptions(int threads) {
    BackendOptions backend = new BackendOptions(threads, "all", Embed4jHome.dir().resolve("ort-cache"));
    try {
      return new SparseIndexOptions(model, documentMaxDims, documentThreshold, queryMaxDims,
          (name, options) -> SparseEncoder.load(name, options.withBackend(backend)));
    } catch (IllegalArgumentException e) {
      throw new Embed4jException.InvalidInput(e.getMessage());
    }
  }
}

package io.embed4j.cli.search;

import io.embed4j.Embed4jException;
import io.embed4j.index.IndexLocation;
import io.embed4j.index.SemanticIndex;
import io.embed4j.index.job.IndexJob;
import io.embed4j.index.job.IndexReport;
import io.embed4j.index.job.SourceSet;
import io.embed4j.index.store.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Opening and updating an index the way every index command does. Internal to the CLI. */
public final class Indexes {
  /** Lucene announces its vector API use through java.util.logging at INFO; the CLI keeps stderr for what matters. */
  private static final java.util.logging.Logger LUCENE_LOG = java.util.logging.Logger.getLogger("org.apache.lucene");

  private Indexes() {}

  public static void quietLucene() {
    LUCENE_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  static SemanticIndex openForUpdate(Path location, IndexModelOptions model, StoreOptions store, SparseModelOptions sparse, int commitSeconds) {
    if (commitSeconds < 1) {
      throw new Embed4jException.InvalidInput("--commit-seconds must be >= 1, got " + commitSeconds);
    }
    boolean existed = IndexLocation.of(location).exists();
    SemanticIndex.Options options = new SemanticIndex.Options(model.model, model.loader(), store.apply(StoreSettings.defaults()),
        new IndexJob.Options(256, Duration.ofSeconds(commitSeconds)), sparse.toIndexOptions(model.threads));
    SemanticIndex index = SemanticIndex.openOrCreate(location, options);
    if (existed) {
      try {
        store.requireMatches(index.store().settings(), location);
      } catch (RuntimeException e) {
        index.close();
        throw e;
      }
    }
    return index;
  }

  /** Runs an update with a progress bar; {@code cancel} is Ctrl-C (keep it open until the report is printed). */
  static IndexReport update(SemanticIndex index, List<SourceSet> sets, boolean quiet, Cancellation cancel) {
    try (ProgressListener progress = new ProgressListener(quiet)) {
      return index.update(sets, progress, cancel);
    }
  }
}

package io.embed4j.cli.search;

import io.embed4j.Embed4jException;
import io.embed4j.index.IndexLocation;
import io.embed4j.index.SemanticIndex;
import io.embed4j.index.job.IndexReport;
import io.embed4j.index.store.StoreSettings;
import io.embed4j.index.store.lucene.LuceneStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code embed4j reindex [DIR] --model NEW}: rebuild beside the old index, then swap atomically. */
@Command(name = "reindex", mixinStandardHelpOptions = true,
    description = "Rebuild an index with another model or other settings. The new index is built beside the old one "
        + "(searches keep working) and swapped in atomically; an interrupted reindex resumes when run again.")
public final class ReindexCommand implements Callable<Integer> {
  @Parameters(arity = "0..1", paramLabel = "DIR", description = "The indexed folder (its index is DIR/.embed4j).")
  Path dir;

  @Option(names = "--index", paramLabel = "DIR", description = "Index location (default DIR/.embed4j).")
  Path index;

  @Option(names = "--json", description = "Print the report as JSON on stdout.")
  boolean json;

  @Option(names = "--quiet", description = "No progress bar or summary.")
  boolean quiet;

  @Mixin IndexModelOptions modelOptions;
  @Mixin StoreOptions storeOptions;
  @Mixin SparseModelOptions sparseOptions;

  @Override
  public Integer call() {
    Indexes.quietLucene();
    if (dir == null && index == null) {
      throw new Embed4jException.InvalidInput("reindex needs the indexed folder (embed4j reindex DIR --model M) or --index DIR");
    }
    Path location = index != null ? index : dir.resolve(".embed4j");
    Path current = IndexLocation.of(location).current();
    StoreSettings settings = storeOptions.anyGiven() ? storeOptions.apply(StoreSettings.fromProperties(LuceneStore.readProperties(current))) : null;
    SemanticIndex.Options options = new SemanticIndex.Options(modelOptions.model, modelOptions.loader(), settings, null,
        sparseOptions.toIndexOptions(modelOptions.threads));
    try (Cancellation cancel = new Cancellation()) {
      IndexReport report;
      try (ProgressListener progress = new ProgressListener(quiet || json)) {
        report = SemanticIndex.reindex(location, options, progress, cancel);
      }
      if (json) {
        System.out.println(Output.reportJson(report));
      } else if (!quiet) {
        if (report.chunks() == 0 && report.added() + report.updated() == 0 && report.unchanged() > 0 && !report.cancelled()) {
          System.err.printf(java.util.Locale.ROOT, "rewrote the vectors of %d sources as %s in %.1fs (same model and chunks: nothing re-embedded)%n",
              report.unchanged(), settings == null ? "before" : settings.encoding().cliName(), report.totalNanos() / 1e9);
        } else {
          Output.printReport(report, System.err);
        }
        if (!report.cancelled()) {
          System.err.println("switched " + IndexLocation.of(location).root() + " to " + IndexLocation.of(location).current().getFileName());
        }
      }
      return report.cancelled() ? 130 : 0;
    }
  }
}

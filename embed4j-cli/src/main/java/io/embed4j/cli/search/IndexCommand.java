package io.embed4j.cli.search;

import io.embed4j.Embed4jException;
import io.embed4j.index.SemanticIndex;
import io.embed4j.index.job.BeirSourceSet;
import io.embed4j.index.job.FileSourceSet;
import io.embed4j.index.job.IndexReport;
import io.embed4j.index.job.SourceSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code embed4j index PATH... [--index DIR]} and {@code embed4j index --beir DIR --index DIR}. */
@Command(name = "index", mixinStandardHelpOptions = true,
    description = "Index files for search, or bring an index up to date: new and changed files are embedded, deleted "
        + "ones removed, unchanged ones skipped (content hash). Formats: .md, .txt, .html, .pdf, .jsonl and source code; "
        + "binary files are skipped with a note.")
public final class IndexCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", paramLabel = "PATH", description = "Folders or files to index.")
  List<Path> paths = new ArrayList<>();

  @Option(names = "--index", paramLabel = "DIR", description = "Where the index lives (default: PATH/.embed4j for a single folder).")
  Path index;

  @Option(names = "--store", paramLabel = "solr://HOST:PORT/COLLECTION",
      description = "Index into a SolrCloud collection instead of a directory (created with the model's schema when absent; see docs/scale-out.md).")
  String store;

  @Option(names = "--beir", paramLabel = "DIR", description = "Index a BEIR corpus (DIR/corpus.jsonl), one source per document.")
  Path beir;

  @Option(names = "--commit-seconds", defaultValue = "10", description = "Seconds between commits; an interrupted run resumes from the last. Default: ${DEFAULT-VALUE}.")
  int commitSeconds;

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
    if (paths.isEmpty() && beir == null) {
      throw new Embed4jException.InvalidInput("nothing to index: give PATH... or --beir DIR");
    }
    IndexStores.requireOneOf(index, store);
    Path location = index;
    if (location == null && store == null) {
      if (beir != null || paths.size() != 1 || !Files.isDirectory(paths.get(0))) {
        throw new Embed4jException.InvalidInput("--index DIR is needed when indexing several paths, a single file or a BEIR corpus");
      }
      location = paths.get(0).resolve(".embed4j");
    }
    List<SourceSet> sets = new ArrayList<>();
    for (Path p : paths) {
      if (!Files.exists(p)) {
        throw new Embed4jException.InvalidInput(p + ": no such file or directory");
      }
      sets.add(new FileSourceSet(p, location == null ? List.of() : List.of(location)));
    }
    if (beir != null) {
      sets.add(new BeirSourceSet(beir));
    }
    try (Cancellation cancel = new Cancellation();
        SemanticIndex idx = store != null ? IndexStores.openForUpdate(store, modelOptions, storeOptions, commitSeconds)
            : Indexes.openForUpdate(location, modelOptions, storeOptions, sparseOptions, commitSeconds)) {
      IndexReport report = Indexes.update(idx, sets, quiet || json, cancel);
      if (json) {
        var o = Output.reportJson(report);
        o.put("index", store != null ? store : idx.location().root().toString());
        o.put("model", idx.modelStamp().source());
        idx.store().sparseModel().ifPresent(s -> o.put("sparse_model", s.source()));
        o.put("total_chunks", idx.store().chunkCount());
        System.out.println(o);
      } else if (!quiet) {
        Output.printReport(report, System.err);
      }
      return report.cancelled() ? 130 : 0;
    }
  }
}

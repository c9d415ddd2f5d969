package io.embed4j.cli.search;

import io.embed4j.Embed4jException;
import io.embed4j.index.SearchOptions;
import io.embed4j.index.SearchResults;
import io.embed4j.index.SemanticIndex;
import io.embed4j.index.job.FileSourceSet;
import io.embed4j.index.job.IndexReport;
import io.embed4j.index.store.Filter;
import io.embed4j.index.store.SearchMode;
import io.embed4j.index.store.SearchRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code embed4j search DIR "QUERY"}: index the folder (incrementally) and search it; or {@code search --index DIR "QUERY"}. */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = "Search a folder by meaning. `search DIR QUERY` indexes DIR first (into DIR/.embed4j, incrementally: "
        + "only new and changed files are embedded); `search --index DIR QUERY` searches an index as it is.")
public final class SearchCommand implements Callable<Integer> {
  @Parameters(arity = "1..2", paramLabel = "[DIR] QUERY", description = "The folder to search (optional with --index) and the query.")
  List<String> args;

  @Option(names = "--index", paramLabel = "DIR", description = "Index location (default DIR/.embed4j).")
  Path index;

  @Option(names = "--store", paramLabel = "solr://HOST:PORT/COLLECTION", description = "Search a SolrCloud store (see docs/scale-out.md).")
  String store;

  @Option(names = "--mode", defaultValue = "hybrid", description = "hybrid, dense, exact, bm25 or sparse. Default: ${DEFAULT-VALUE}.")
  String mode;

  @Option(names = "-k", defaultValue = "10", description = "Results. Default: ${DEFAULT-VALUE}.")
  int k;

  @Option(names = "--filter", paramLabel = "FIELD=VALUE",
      description = "Only chunks matching: path=GLOB (e.g. docs/*.md), format=pdf, record=ID, or a JSONL metadata field "
          + "(lang=en). * and ? are wildcards. Repeat to combine (AND).")
  List<String> filters = new ArrayList<>();

  @Option(names = "--candidates", defaultValue = "" + SearchRequest.DEFAULT_CANDIDATES,
      description = "HNSW candidates (efSearch) and hybrid ranking depth. Default: ${DEFAULT-VALUE}.")
  int candidates;

  @Option(names = "--one-per-file", description = "Only the best chunk of each file.")
  boolean onePerFile;

  @Option(names = "--no-update", description = "Search DIR's index without updating it first.")
  boolean noUpdate;

  @Option(names = "--json", description = "Print {\"results\": [...]} as JSON.")
  boolean json;

  @Option(names = "--quiet", description = "No progress bar or indexing summary.")
  boolean quiet;

  @Mixin IndexModelOptions modelOptions;
  @Mixin StoreOptions storeOptions;
  @Mixin SparseModelOptions sparseOptions;
  @Mixin HybridOptions hybrid;
  @Mixin io.embed4j.cli.rerank.RerankStageOptions rerankStage;

  @Override
  public Integer call() {
    Indexes.quietLucene();
    String query = args.get(args.size() - 1);
    Path dir = args.size() == 2 ? Path.of(args.get(0)) : null;
    IndexStores.requireOneOf(index, store);
    if (dir == null && index == null && store == null) {
      throw new Embed4jException.InvalidInput("search needs a folder (embed4j search DIR \"QUERY\") or an index (--index DIR)");
    }
    if (query.isBlank()) {
      throw new Embed4jException.InvalidInput("empty query");
    }
    SearchOptions options = new SearchOptions(k, SearchMode.parse(mode), filters.stream().map(Filter::parse).toList(),
        hybrid.fusion(), candidates, onePerFile, hybrid.fused());
    Path location = index != null ? index : store != null ? null : dir.resolve(".embed4j");
    boolean update = dir != null && !noUpdate;
    if (update && !Files.exists(dir)) {
      throw new Embed4jException.InvalidInput(dir + ": no such file or directory");
    }
    try (Cancellation cancel = new Cancellation();
        io.embed4j.cli.rerank.RerankStageOptions.Stage rerank = rerankStage.open(modelOptions.threads);
        SemanticIndex idx = store != null
        ? (update ? IndexStores.openForUpdate(store, modelOptions, storeOptions, 10)
            : IndexStores.openForSearch(store, new SemanticIndex.Options(modelOptions.model, modelOptions.loader(), null, null)))
        : update
        ? Indexes.openForUpdate(location, modelOptions, storeOptions, sparseOptions, 10)
        : SemanticIndex.openForSearch(location, new SemanticIndex.Options(modelOptions.model, modelOptions.loader(), null, null,
            sparseOptions.toIndexOptions(modelOptions.threads)))) {
      if (update) {
        IndexReport report = Indexes.update(idx, List.of(new FileSourceSet(dir, location == null ? List.of() : List.of(location))),
            quiet || json, cancel);
        if (report.cancelled()) {
          Output.printReport(report, System.err);
          return 130;
        }
        if (report.changedAnything() && !quiet && !json) {
          Output.printReport(report, System.err);
        }
      }
      if (rerank.active()) {
        idx.setReranker(new CrossEncoderReranker(rerank));
      }
      if (options.uses(SearchMode.DENSE)) {
        idx.model(); // load (and check) the models before timing the search
      }
      if (options.uses(SearchMode.SPARSE)) {
        idx.sparseEncoder();
      }
      long t0 = System.nanoTime();
      SearchResults results = idx.search(query, options);
      double millis = (System.nanoTime() - t0) / 1e6;
      if (json) {
        var o = Output.hitsJson(results.hits(), query, options.mode().cliName(), millis);
        if (options.mode() == SearchMode.HYBRID) {
          var fuse = o.putArray("fuse");
          options.fused().forEach(m -> fuse.add(m.cliName()));
          o.put("fusion", options.fusion().toString());
        }
        if (rerank.active()) {
          o.put("rerank", rerank.model().name());
        }
        System.out.println(o.toPrettyString());
      } else {
        Output.printHits(results.hits(), query, System.out);
      }
    }
    return 0;
  }
}

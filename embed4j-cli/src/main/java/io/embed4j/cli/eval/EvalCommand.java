package io.embed4j.cli.eval;

import io.embed4j.Embed4jException;
import io.embed4j.EmbeddingModel;
import io.embed4j.cli.ModelOptions;
import io.embed4j.cli.ProgressBar;
import io.embed4j.encode.EncodeOptions;
import io.embed4j.encode.Precision;
import io.embed4j.eval.CachingEncoder;
import io.embed4j.eval.EmbeddingCache;
import io.embed4j.eval.EvalResult;
import io.embed4j.eval.ModelEncoder;
import io.embed4j.eval.Progress;
import io.embed4j.eval.RetrievalEvaluator;
import io.embed4j.eval.StsEvaluator;
import io.embed4j.eval.TaskPrompts;
import io.embed4j.eval.TextEncoder;
import io.embed4j.eval.VectorVariant;
import io.embed4j.eval.data.BeirDataset;
import io.embed4j.eval.data.StsDataset;
import io.embed4j.eval.report.ResultJson;
import io.embed4j.eval.report.Reports;
import io.embed4j.eval.retrieval.Retriever;
import io.embed4j.eval.retrieval.TrecRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code embed4j eval}: retrieval (BEIR format), STS, and model comparisons; the work is in embed4j-eval. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Evaluate models: retrieval on BEIR-format data (trec_eval metrics), STS correlations, comparisons.",
    subcommands = {EvalCommand.RetrievalCmd.class, EvalCommand.StsCmd.class, EvalCommand.CompareCmd.class})
public final class EvalCommand implements Runnable {
  @Override
  public void run() {
    System.err.println("usage: embed4j eval retrieval|sts|compare ... (embed4j eval --help)");
  }

  /** Options every eval subcommand has. */
  static final class Common {
    @Option(names = "--json", description = "Write the results as JSON (MTEB key names) to this file.")
    Path json;

    @Option(names = "--report", description = "Write a Markdown report to this file, with a PNG chart beside it (same name, .png).")
    Path report;

    @Option(names = "--no-cache", description = "Encode again instead of reading embeddings cached under $EMBED4J_HOME/cache/embeddings.")
    boolean noCache;

    @Option(names = "--batch-tokens", defaultValue = "" + EncodeOptions.DEFAULT_BATCH_TOKENS, description = "Padded tokens per batch. Default: ${DEFAULT-VALUE}.")
    int batchTokens;

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    Progress progress() {
      return (label, total) -> {
        ProgressBar bar = new ProgressBar(label, total, quiet);
        return new Progress.Step() {
          @Override
          public void advance(long units) {
            bar.advance(units);
          }

          @Override
          public void close() {
            bar.close();
          }
        };
      };
    }

    TextEncoder encoder(EmbeddingModel model, TaskPrompts prompts) {
      EncodeOptions options = EncodeOptions.defaults().withBatching(batchTokens, EncodeOptions.DEFAULT_MAX_BATCH_SIZE);
      TextEncoder e = new ModelEncoder(model, prompts, options, progress());
      return noCache ? e : new CachingEncoder(e, EmbeddingCache.defaultCache());
    }
  }

  /** --dimensions and --precision: the sweep grid. */
  static final class Sweep {
    @Option(names = "--dimensions", split = ",", paramLabel = "N",
        description = "Matryoshka sweep: evaluate the first N dimensions (re-normalized) for each N, e.g. 384,256,128,64. Default: the model's width.")
    List<Integer> dimensions;

    @Option(names = "--precision", split = ",", paramLabel = "P",
        description = "Precision sweep: float32, int8, uint8, binary, ubinary (e.g. float32,int8,binary). Default: float32.")
    List<String> precision;

    List<VectorVariant> variants(EmbeddingModel model) {
      List<Integer> dims = dimensions == null || dimensions.isEmpty() ? List.of(model.dimensions()) : dimensions;
      for (int d : dims) {
        if (d < 1 || d > model.dimensions()) {
          throw new Embed4jException.InvalidInput("--dimensions " + d + " is out of range for " + model.name() + " (1 to " + model.dimensions() + ")");
        }
      }
      List<Precision> precisions = new ArrayList<>();
      for (String p : precision == null || precision.isEmpty() ? List.of("float32") : precision) {
        try {
          precisions.add(Precision.fromName(p));
        } catch (IllegalArgumentException e) {
          throw new Embed4jException.InvalidInput("--precision: " + e.getMessage());
        }
      }
      return VectorVariant.grid(dims, precisions);
    }
  }

  @Command(name = "retrieval", mixinStandardHelpOptions = true,
      description = "nDCG, MAP, recall, precision and MRR at k on BEIR-format data (corpus.jsonl, queries.jsonl, qrels/SPLIT.tsv), as MTEB computes them.")
  static final class RetrievalCmd implements Callable<Integer> {
    @Mixin ModelOptions modelOptions;
    @Mixin Common common;
    @Mixin Sweep sweep;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "BEIR-format data directory.")
    Path data;

    @Option(names = "--split", defaultValue = "test", description = "Qrels split (qrels/SPLIT.tsv). Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--k", split = ",", defaultValue = "1,3,5,10,100,1000", paramLabel = "K",
        description = "Cutoffs of the @k metrics (10 is always included, for main_score). Default: ${DEFAULT-VALUE}.")
    List<Integer> k;

    @Option(names = "--run", paramLabel = "FILE", description = "Write the ranking as a TREC run file (qid Q0 docid rank score tag), first variant.")
    Path run;

    @Option(names = "--query-prompt", description = "Raw prompt for queries, instead of the one MTEB uses for this model.")
    String queryPrompt;

    @Option(names = "--document-prompt", description = "Raw prompt for documents, instead of the one MTEB uses for this model.")
    String documentPrompt;

    @Mixin io.embed4j.cli.rerank.RerankStageOptions rerankStage;

    @Option(names = "--index", paramLabel = "DIR",
        description = "Search this index (built with `embed4j index --beir DATA --index DIR`) instead of embedding the corpus.")
    Path index;

    @Option(names = "--store", paramLabel = "solr://HOST:PORT/COLLECTION",
        description = "Search this SolrCloud store (built with `embed4j index --beir DATA --store ...`) instead of embedding the corpus.")
    String store;

    @Option(names = "--mode", defaultValue = "hybrid", description = "Search mode with --index or --store: hybrid, dense, exact, bm25 or sparse. Default: ${DEFAULT-VALUE}.")
    String indexMode;

    @Mixin io.embed4j.cli.search.HybridOptions hybrid;
    @Mixin io.embed4j.cli.search.SparseModelOptions sparseOptions;

    @Override
    public Integer call() throws Exception {
      for (int c : k) {
        if (c < 1) {
          throw new Embed4jException.InvalidInput("--k " + c + ": cutoffs must be >= 1");
        }
      }
      BeirDataset dataset = BeirDataset.load(data, split);
      io.embed4j.cli.search.IndexStores.requireOneOf(index, store);
      if (index != null) {
        io.embed4j.cli.search.Indexes.quietLucene();
      }
      io.embed4j.index.SemanticIndex.Options indexOptions = io.embed4j.index.SemanticIndex.Options.defaults().withModel(modelOptions.model);
      try (EmbeddingModel model = modelOptions.load();
          io.embed4j.cli.rerank.RerankStageOptions.Stage rerank = rerankStage.open(modelOptions.threads);
          io.embed4j.index.SemanticIndex searchIndex = index == null && store == null ? null
              : store != null ? io.embed4j.cli.search.IndexStores.openForSearch(store,
                  indexOptions.withLoader(io.embed4j.index.SemanticIndex.ModelLoader.sharing(Map.of(modelOptions.model, model))))
              : io.embed4j.index.SemanticIndex.openForSearch(index,
                  indexOptions.withLoader(io.embed4j.index.SemanticIndex.ModelLoader.sharing(Map.of(modelOptions.model, model)))
                      .withSparse(sparseOptions.toIndexOptions(modelOptions.threads)))) {
        TaskPrompts prompts = TaskPrompts.mteb(model).override(queryPrompt, documentPrompt, null);
        Retriever.Factory first = Retriever.Factory.EXACT;
        if (searchIndex != null) {
          if (sweep.variants(model).size() != 1 || sweep.variants(model).get(0).precision() != Precision.FLOAT32) {
            throw new Embed4jException.InvalidInput("--index and --store evaluate the index as built; --dimensions and --precision do not apply");
          }
          io.embed4j.index.store.SearchMode searchMode = io.embed4j.index.store.SearchMode.parse(indexMode);
          io.embed4j.index.SearchOptions searchOptions = io.embed4j.index.SearchOptions.defaults().withMode(searchMode)
              .withFusion(hybrid.fusion()).withFused(hybrid.fused());
          if (searchOptions.uses(io.embed4j.index.store.SearchMode.SPARSE)) {
            searchIndex.sparseEncoder(); // load and check the sparse model before the first query
          }
          first = io.embed4j.cli.search.IndexRetriever.factory(searchIndex, searchMode, searchOptions);
        }
        RetrievalEvaluator evaluator = new RetrievalEvaluator(dataset, k.stream().mapToInt(Integer::intValue).toArray(),
            first, common.progress());
        EvalResult result = evaluator.evaluate(common.encoder(model, prompts), sweep.variants(model));
        if (rerank.active()) {
          int depth = evaluator.cutoffs()[evaluator.cutoffs().length - 1];
          if (java.util.Collections.max(rerank.tops()) > depth) {
            throw new Embed4jException.InvalidInput("--rerank-top " + java.util.Collections.max(rerank.tops())
                + " is deeper than the first stage's run (its largest --k, " + depth + "); raise --k to at least that");
          }
          printRetrieval(result); // the first stage's own line; the reranked settings follow in the summary
          result = rerank.rerank(dataset, result, evaluator.cutoffs(), common.progress());
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("data_path", data.toAbsolutePath().normalize().toString());
        context.put("split", split);
        context.put("prompts", promptMap(model, prompts, true));
        if (searchIndex != null) {
          String where = store != null ? store : index.toAbsolutePath().normalize().toString();
          String how = indexMode.trim().equalsIgnoreCase("hybrid") ? "hybrid " + hybrid.describe() : indexMode;
          Map<String, Object> about = new LinkedHashMap<>(Map.of("path", where, "mode", how,
              "vectors", searchIndex.store().settings().encoding().cliName(), "chunks", searchIndex.store().chunkCount()));
          searchIndex.store().sparseModel().ifPresent(s -> about.put("sparse_model", s.source()));
          context.put("index", about);
          System.out.printf(Locale.ROOT, "through index %s (%s, %s vectors, %d chunks; corpus not re-embedded)%n", where,
              how, searchIndex.store().settings().encoding().cliName(), searchIndex.store().chunkCount());
        }
        if (rerank.active()) {
          context.put("rerank", rerank.describe());
        }
        if (rerank.active()) {
          System.out.println(rerank.summary());
        } else {
          printRetrieval(result);
        }
        if (run != null) {
          TrecRun.write(run, result.run(), "embed4j-" + model.name().replaceAll("\\s+", "_"));
        }
        finish(common, result, context);
      }
      return 0;
    }
  }

  @Command(name = "sts", mixinStandardHelpOptions = true,
      description = "Pearson and Spearman of cosine, dot, Euclidean and Manhattan similarity against gold scores "
          + "(STS Benchmark, SICK or JSONL file, detected from the content).")
  static final class StsCmd implements Callable<Integer> {
    @Mixin ModelOptions modelOptions;
    @Mixin Common common;
    @Mixin Sweep sweep;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "STS Benchmark .csv, SICK .txt or JSONL file.")
    Path data;

    @Option(names = "--prompt", description = "Raw prompt for both sentences, instead of the one MTEB uses for this model.")
    String prompt;

    @Override
    public Integer call() throws Exception {
      StsDataset dataset = StsDataset.load(data);
      try (EmbeddingModel model = modelOptions.load()) {
        TaskPrompts prompts = TaskPrompts.mteb(model).override(null, null, prompt);
        EvalResult result = new StsEvaluator(dataset).evaluate(common.encoder(model, prompts), sweep.variants(model));
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("data_path", data.toAbsolutePath().normalize().toString());
        context.put("format", dataset.format().name().toLowerCase(Locale.ROOT));
        context.put("prompts", promptMap(model, prompts, false));
        printSts(result);
        finish(common, result, context);
      }
      return 0;
    }
  }

  @Command(name = "compare", mixinStandardHelpOptions = true,
      description = "Evaluate several models on one data set (a BEIR directory or an STS file): score, texts/s, bytes per vector.")
  static final class CompareCmd implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--models", required = true, split = ",", paramLabel = "M", description = "Models to compare (catalog names, directories, Hub ids).")
    List<String> models;

    @Option(names = "--data", required = true, paramLabel = "PATH", description = "BEIR-format directory (retrieval) or STS file.")
    Path data;

    @Option(names = "--split", defaultValue = "test", description = "Qrels split for retrieval. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--threads", defaultValue = "0", description = "Inference threads (0 = one per core).")
    int threads;

    @Override
    public Integer call() throws Exception {
      if (!Files.exists(data)) {
        throw new Embed4jException.InvalidInput(data + ": no such file or directory");
      }
      boolean retrieval = Files.isDirectory(data);
      BeirDataset beir = retrieval ? BeirDataset.load(data, split) : null;
      StsDataset sts = retrieval ? null : StsDataset.load(data);
      List<EvalResult> results = new ArrayList<>();
      List<com.fasterxml.jackson.databind.node.ObjectNode> json = new ArrayList<>();
      for (String name : models) {
        ModelOptions mo = new ModelOptions();
        mo.model = name.strip();
        mo.threads = threads;
        mo.graphOptimization = "all";
        try (EmbeddingModel model = mo.load()) {
          TaskPrompts prompts = TaskPrompts.mteb(model);
          VectorVariant full = new VectorVariant(model.dimensions(), Precision.FLOAT32);
          EvalResult r = retrieval
              ? new RetrievalEvaluator(beir, io.embed4j.eval.metrics.RetrievalMetrics.DEFAULT_CUTOFFS, Retriever.Factory.EXACT, common.progress())
                  .evaluate(common.encoder(model, prompts), List.of(full))
              : new StsEvaluator(sts).evaluate(common.encoder(model, prompts), List.of(full));
          results.add(r);
          Map<String, Object> context = new LinkedHashMap<>();
          context.put("data_path", data.toAbsolutePath().normalize().toString());
          if (retrieval) {
            context.put("split", split);
          }
          context.put("prompts", promptMap(model, prompts, retrieval));
          json.add(ResultJson.of(r, context));
        }
      }
      String rateKey = retrieval ? "corpus_texts_per_second" : "texts_per_second";
      System.out.printf(Locale.ROOT, "%-24s %10s %10s %6s %8s%n", "model", retrieval ? "nDCG@10" : "cos_spear", "texts/s", "dims", "B/vec");
      for (EvalResult r : results) {
        System.out.printf(Locale.ROOT, "%-24s %10.4f %10.1f %6d %8d%n", r.model(), r.mainScore(), r.info().get(rateKey),
            r.first().dimensions(), r.first().bytesPerVector());
      }
      if (common.json != null) {
        ResultJson.write(common.json, json);
      }
      if (common.report != null) {
        Reports.compare(results, common.report);
      }
      return 0;
    }
  }

  private static Map<String, String> promptMap(EmbeddingModel model, TaskPrompts prompts, boolean retrieval) {
    Map<String, String> m = new LinkedHashMap<>();
    if (retrieval) {
      m.put("query", model.promptFor(prompts.query() == null ? EncodeOptions.defaults() : EncodeOptions.defaults().withPrompt(prompts.query())));
      m.put("document", model.promptFor(prompts.document() == null ? EncodeOptions.defaults() : EncodeOptions.defaults().withPrompt(prompts.document())));
    } else {
      m.put("sentences", model.promptFor(prompts.symmetric() == null ? EncodeOptions.defaults() : EncodeOptions.defaults().withPrompt(prompts.symmetric())));
    }
    return m;
  }

  private static void finish(Common common, EvalResult result, Map<String, Object> context) throws java.io.IOException {
    if (common.json != null) {
      ResultJson.write(common.json, ResultJson.of(result, context));
    }
    if (common.report != null) {
      Reports.sweep(result, common.report);
    }
  }

  private static void printRetrieval(EvalResult r) {
    Map<String, Double> info = r.info();
    System.out.printf(Locale.ROOT, "%s on %s: %d documents, %d queries (%d with a relevant document)%n", r.model(), r.data(),
        info.get("corpus_size").longValue(), info.get("queries").longValue(), info.get("judged_queries").longValue());
    System.out.printf(Locale.ROOT, "corpus: %s; queries %.1fs; search %.2fs; total %.1fs%n",
        encoding(info.get("encode_corpus_seconds"), info.get("corpus_cache_hit") > 0, info.get("corpus_texts_per_second")),
        info.get("encode_queries_seconds"), info.get("search_seconds"), info.get("total_seconds"));
    for (var e : r.scores().entrySet()) {
      Map<String, Double> s = e.getValue();
      System.out.printf(Locale.ROOT, "%-16s nDCG@10 %.4f  MAP@100 %.4f  recall@100 %.4f  MRR@10 %.4f  P@1 %.4f%n", e.getKey().label(),
          s.get("ndcg_at_10"), s.getOrDefault("map_at_100", Double.NaN), s.getOrDefault("recall_at_100", Double.NaN),
          s.get("mrr_at_10"), s.getOrDefault("precision_at_1", Double.NaN));
    }
  }

  private static String encoding(double seconds, boolean cached, double textsPerSecond) {
    return cached
        ? String.format(Locale.ROOT, "%.1fs (from the cache; encoded earlier at %.1f texts/s)", seconds, textsPerSecond)
        : String.format(Locale.ROOT, "%.1fs, %.1f texts/s", seconds, textsPerSecond);
  }

  private static void printSts(EvalResult r) {
    Map<String, Double> info = r.info();
    System.out.printf(Locale.ROOT, "%s on %s: %d pairs, %d sentences; encode %s%n", r.model(), r.data(),
        info.get("pairs").longValue(), info.get("sentences").longValue(),
        encoding(info.get("encode_seconds"), info.get("cache_hit") > 0, info.get("texts_per_second")));
    for (var e : r.scores().entrySet()) {
      Map<String, Double> s = e.getValue();
      if (e.getKey().isBinary()) {
        System.out.printf(Locale.ROOT, "%-16s hamming spearman %.4f  pearson %.4f%n", e.getKey().label(), s.get("hamming_spearman"), s.get("hamming_pearson"));
      } else {
        System.out.printf(Locale.ROOT, "%-16s cosine spearman %.4f  pearson %.4f | dot %.4f  euclidean %.4f  manhattan %.4f (spearman)%n",
            e.getKey().label(), s.get("cosine_spearman"), s.get("cosine_pearson"), s.get("dot_spearman"), s.get("euclidean_spearman"), s.get("manhattan_spearman"));
      }
    }
  }
}

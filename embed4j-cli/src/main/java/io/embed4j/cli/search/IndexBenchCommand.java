package io.embed4j.cli.search;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.embed4j.Embed4jException;
import io.embed4j.index.IndexLocation;
import io.embed4j.index.SemanticIndex;
import io.embed4j.index.bench.BeirQueries;
import io.embed4j.index.bench.IndexFiles;
import io.embed4j.index.bench.Percentiles;
import io.embed4j.index.bench.SearchBenchmark;
import io.embed4j.index.bench.VectorIndexBenchmark;
import io.embed4j.index.store.SearchRequest;
import io.embed4j.index.store.StoreSettings;
import io.embed4j.index.store.VectorEncoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code embed4j bench-index beir|vectors}: quality and speed of the search index. */
@Command(name = "bench-index", mixinStandardHelpOptions = true, description = "Benchmarks of the search index.",
    subcommands = {IndexBenchCommand.Beir.class, IndexBenchCommand.Vectors.class})
public final class IndexBenchCommand implements Runnable {
  @Override
  public void run() {
    System.err.println("usage: embed4j bench-index beir --index DIR --beir DATASET | embed4j bench-index vectors [--count N]");
  }

  @Command(name = "beir", mixinStandardHelpOptions = true,
      description = "nDCG@10 and recall@10 of every search mode on a BEIR split, HNSW recall@10 against exact search, "
          + "and query latency, through an index built with `embed4j index --beir`.")
  static final class Beir implements Callable<Integer> {
    @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index built from the corpus.")
    Path index;

    @Option(names = "--beir", required = true, paramLabel = "DIR", description = "The BEIR directory (queries.jsonl, qrels/).")
    Path beir;

    @Option(names = "--split", defaultValue = "test", description = "Qrels split. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--candidates", defaultValue = "" + SearchRequest.DEFAULT_CANDIDATES, description = "HNSW candidates (efSearch). Default: ${DEFAULT-VALUE}.")
    int candidates;

    @Option(names = "--dense-weight", defaultValue = "0.5", description = "Dense weight of the weighted hybrid. Default: ${DEFAULT-VALUE}.")
    double denseWeight;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin IndexModelOptions modelOptions;
    @Mixin SparseModelOptions sparseOptions;

    @Override
    public Integer call() {
      Indexes.quietLucene();
      BeirQueries queries = BeirQueries.load(beir, split);
      try (SemanticIndex idx = SemanticIndex.openForSearch(index, new SemanticIndex.Options(modelOptions.model, modelOptions.loader(), null, null,
          sparseOptions.toIndexOptions(modelOptions.threads)))) {
        List<SearchBenchmark.Variant> variants = new ArrayList<>(SearchBenchmark.defaultVariants(denseWeight));
        if (idx.store().sparseModel().isPresent()) {
          variants.addAll(SearchBenchmark.sparseVariants());
        }
        SearchBenchmark.Result r = SearchBenchmark.run(idx, queries, variants, candidates);
        Map<String, Long> bytes = IndexFiles.bytesByExtension(IndexLocation.of(index).current());
        io.embed4j.index.bench.SparseFieldSize sparseSize = null;
        if (idx.store().sparseModel().isPresent()) {
          try {
            sparseSize = io.embed4j.index.bench.SparseFieldSize.measure(IndexLocation.of(index).current(),
                Files.createTempDirectory("embed4j-sparse-size"));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
        StoreSettings s = idx.store().settings();
        if (json) {
          ObjectNode o = Output.JSON.createObjectNode();
          o.put("queries", r.queries());
          o.put("chunks", r.chunks());
          o.put("model", idx.modelStamp().source());
          o.put("vectors", s.encoding().cliName());
          o.put("hnsw_recall_at_10", r.hnswRecallAt10());
          latency(o.putObject("query_encoding_ms"), r.queryEncoding());
          if (r.sparseQueryEncoding() != null) {
            o.put("sparse_model", idx.store().sparseModel().orElseThrow().source());
            latency(o.putObject("sparse_query_encoding_ms"), r.sparseQueryEncoding());
          }
          ArrayNode rows = o.putArray("modes");
          for (SearchBenchmark.Row row : r.rows()) {
            ObjectNode n = rows.addObject();
            n.put("mode", row.name());
            n.put("ndcg_at_10", row.ndcgAt10());
            n.put("recall_at_10", row.recallAt10());
            latency(n.putObject("search_ms"), row.latency());
          }
          ObjectNode b = o.putObject("bytes");
          bytes.forEach(b::put);
          if (sparseSize != null) {
            ObjectNode sp = o.putObject("sparse_field");
            sp.put("chunks", sparseSize.chunks());
            sp.put("features", sparseSize.features());
            sp.put("bytes", sparseSize.bytes());
          }
          System.out.println(o.toPrettyString());
          return 0;
        }
        System.out.printf(Locale.ROOT, "%s (%s), %d queries, %d chunks, model %s, vectors %s (M=%d, beam=%d), candidates %d%n",
            beir.getFileName(), split, r.queries(), r.chunks(), idx.modelStamp().source(), s.encoding().cliName(),
            s.hnswMaxConn(), s.hnswBeamWidth(), candidates);
        System.out.printf(Locale.ROOT, "%-30s %9s %9s %12s %12s%n", "mode", "nDCG@10", "R@10", "p50 ms", "p99 ms");
        for (SearchBenchmark.Row row : r.rows()) {
          System.out.printf(Locale.ROOT, "%-30s %9.4f %9.4f %12.2f %12.2f%n", row.name(), row.ndcgAt10(), row.recallAt10(),
              row.latency().p50Millis(), row.latency().p99Millis());
        }
        System.out.printf(Locale.ROOT, "HNSW recall@10 against exact search (chunks): %.4f%n", r.hnswRecallAt10());
        System.out.printf(Locale.ROOT, "query encoding, one at a time: p50 %.2f ms, p99 %.2f ms%n",
            r.queryEncoding().p50Millis(), r.queryEncoding().p99Millis());
        if (r.sparseQueryEncoding() != null) {
          System.out.printf(Locale.ROOT, "sparse query encoding (%s), one at a time: p50 %.2f ms, p99 %.2f ms%n",
              idx.store().sparseModel().orElseThrow().describe(), r.sparseQueryEncoding().p50Millis(), r.sparseQueryEncoding().p99Millis());
        }
        System.out.println("index bytes by file type: " + bytes);
        if (sparseSize != null) {
          System.out.printf(Locale.ROOT, "sparse field alone (one segment): %,d bytes; %,d features over %,d chunks (%.1f a chunk, %.2f bytes a feature)%n",
              sparseSize.bytes(), sparseSize.features(), sparseSize.chunks(), sparseSize.features() / (double) Math.max(1, sparseSize.chunks()),
              sparseSize.bytes() / (double) Math.max(1, sparseSize.features()));
        }
      }
      return 0;
    }
  }

  private static void latency(ObjectNode o, Percentiles p) {
    o.put("p50", p.p50Millis());
    o.put("p99", p.p99Millis());
    o.put("mean", p.meanMillis());
  }

  @Command(name = "vectors", mixinStandardHelpOptions = true,
      description = "The vector index alone: random unit vectors in Lucene's HNSW, recall@10 against brute force, "
          + "latency p50/p99, build time and bytes per vector, for each encoding.")
  static final class Vectors implements Callable<Integer> {
    @Option(names = "--count", defaultValue = "1000000", description = "Vectors. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--dims", defaultValue = "384", description = "Dimensions. Default: ${DEFAULT-VALUE}.")
    int dims;

    @Option(names = "--queries", defaultValue = "500", description = "Queries timed. Default: ${DEFAULT-VALUE}.")
    int queries;

    @Option(names = "--vectors", defaultValue = "float32", split = ",", description = "Encodings to build, comma-separated. Default: ${DEFAULT-VALUE}.")
    List<String> encodings;

    @Option(names = "--candidates", defaultValue = "10,50,100,200", split = ",", description = "Candidate counts (efSearch). Default: ${DEFAULT-VALUE}.")
    List<Integer> candidates;

    @Option(names = "--hnsw-m", defaultValue = "" + StoreSettings.DEFAULT_MAX_CONN, description = "HNSW M. Default: ${DEFAULT-VALUE}.")
    int maxConn;

    @Option(names = "--hnsw-beam", defaultValue = "" + StoreSettings.DEFAULT_BEAM_WIDTH, description = "HNSW beam width. Default: ${DEFAULT-VALUE}.")
    int beam;

    @Option(names = "--threads", defaultValue = "1", description = "Indexing threads (one segment each). Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--merge", description = "Merge into one segment (one graph) before searching; merge time is reported apart.")
    boolean merge;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--dir", description = "Where to build (default: a temporary directory, deleted afterwards).")
    Path dir;

    @Option(names = "--json", description = "Print JSON lines, one per encoding.")
    boolean json;

    @Override
    public Integer call() throws IOException {
      Indexes.quietLucene();
      if (count < 10 || dims < 2 || queries < 1 || threads < 1) {
        throw new Embed4jException.InvalidInput("need --count >= 10, --dims >= 2, --queries >= 1, --threads >= 1");
      }
      for (String e : encodings) {
        VectorEncoding encoding = VectorEncoding.parse(e);
        Path where = dir != null ? dir.resolve(encoding.cliName()) : Files.createTempDirectory("embed4j-vectors-");
        VectorIndexBenchmark.Config c = new VectorIndexBenchmark.Config(count, dims, queries, encoding, maxConn, beam,
            candidates, threads, seed, merge);
        VectorIndexBenchmark.Result r = VectorIndexBenchmark.run(c, where, i -> {
          if (!json && Boolean.getBoolean("embed4j.tty")) {
            System.err.printf(Locale.ROOT, "\rbuilding %s: %d / %d", encoding.cliName(), i, count);
          }
        });
        print(r);
        if (dir == null) {
          deleteTree(where);
        }
      }
      return 0;
    }

    private void print(VectorIndexBenchmark.Result r) {
      VectorIndexBenchmark.Config c = r.config();
      if (json) {
        ObjectNode o = Output.JSON.createObjectNode();
        o.put("count", c.count());
        o.put("dims", c.dims());
        o.put("vectors", c.encoding().cliName());
        o.put("build_seconds", r.buildSeconds());
        o.put("merge_seconds", r.mergeSeconds());
        o.put("segments", r.segments());
        ObjectNode b = o.putObject("bytes_per_vector");
        r.bytesByExtension().forEach((ext, n) -> b.put(ext, (double) n / c.count()));
        ArrayNode pts = o.putArray("points");
        for (VectorIndexBenchmark.Point p : r.points()) {
          ObjectNode n = pts.addObject();
          n.put("candidates", p.candidates());
          n.put("recall_at_10", p.recallAt10());
          latency(n.putObject("latency_ms"), p.latency());
        }
        System.out.println(o);
        return;
      }
      System.out.printf(Locale.ROOT, "%n%,d random %d-d vectors, %s, M=%d beam=%d, %d indexing thread(s): built in %.1f s (%,.0f vectors/s)%s, %d segment(s)%n",
          c.count(), c.dims(), c.encoding().cliName(), c.maxConn(), c.beamWidth(), c.threads(), r.buildSeconds(),
          c.count() / r.buildSeconds(), c.merge() ? String.format(Locale.ROOT, ", merged in %.1f s", r.mergeSeconds()) : "", r.segments());
      List<String> parts = new ArrayList<>();
      r.bytesByExtension().forEach((ext, n) -> parts.add(String.format(Locale.ROOT, "%s %.1f", ext, (double) n / c.count())));
      System.out.println("bytes per vector by file: " + String.join(", ", parts));
      System.out.printf(Locale.ROOT, "%12s %10s %10s %10s%n", "candidates", "recall@10", "p50 ms", "p99 ms");
      for (VectorIndexBenchmark.Point p : r.points()) {
        System.out.printf(Locale.ROOT, "%12d %10.4f %10.3f %10.3f%n", p.candidates(), p.recallAt10(),
            p.latency().p50Millis(), p.latency().p99Millis());
      }
    }

    private static void deleteTree(Path p) throws IOException {
      try (var s = Files.walk(p)) {
        for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(x);
        }
      }
    }
  }
}

package io.embed4j.index.bench;

import io.embed4j.index.chunk.ChunkingOptions;
import io.embed4j.index.store.StoreSettings;
import io.embed4j.index.store.VectorEncoding;
import io.embed4j.index.store.lucene.LuceneVectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;

/**
 * The vector index alone: random unit vectors (Gaussian, normalized; seeded) in the HNSW format the
 * store uses, then random queries. Reports build time, bytes per vector by file, and recall@10
 * against brute force with p50/p99 latency for several candidate counts. Ground truth is computed
 * by regenerating the same vectors, so the data never has to fit in memory.
 *
 * <p>Random vectors in hundreds of dimensions are the hardest case for HNSW: the nearest
 * neighbours are barely nearer than anything else, so recall is lower than on real embeddings.
 */
public final class VectorIndexBenchmark {
  static final String FIELD = "v";

  /**
   * @param count vectors to index
   * @param dims their width
   * @param queries random queries to time
   * @param encoding float32 or a quantized encoding (rescored with the float vectors)
   * @param maxConn HNSW M
   * @param beamWidth HNSW beam width
   * @param candidates the candidate counts (efSearch) to measure
   * @param threads indexing threads (each fills its own segment) and HNSW merge workers
   * @param seed random seed
   * @param merge whether to merge into one segment (one graph) before searching
   */
  public record Config(int count, int dims, int queries, VectorEncoding encoding, int maxConn, int beamWidth,
      List<Integer> candidates, int threads, long seed, boolean merge) {}

  /** Recall and latency at one candidate count. */
  public record Point(int candidates, double recallAt10, Percentiles latency) {}

  /**
   * @param buildSeconds adding the vectors and committing (graphs built per segment)
   * @param mergeSeconds merging into one segment, 0 when not asked
   */
  public record Result(Config config, double buildSeconds, double mergeSeconds, int segments, Map<String, Long> bytesByExtension,
      List<Point> points) {
    public double bytesPerVector(String extension) {
      return (double) bytesByExtension.getOrDefault(extension, 0L) / config.count();
    }
  }

  private VectorIndexBenchmark() {}

  /** Vector {@code i} of the data set: the same for a given seed however often it is asked for. */
  static float[] vector(long seed, int i, int dims) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
    float[] v = new float[dims];
    for (int d = 0; d < dims; d++) {
      v[d] = (float) gaussian(r);
    }
    return VectorUtil.l2normalize(v);
  }

  private static double gaussian(SplittableRandom r) {
    double u = Math.max(r.nextDouble(), 1e-300);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
  }

  public static Result run(Config c, Path dir, IntConsumer progress) {
    StoreSettings settings = new StoreSettings(c.encoding(), c.maxConn(), c.beamWidth(), ChunkingOptions.defaults());
    try (Directory d = FSDirectory.open(dir)) {
      long t0 = System.nanoTime();
      double buildSeconds;
      double mergeSeconds = 0;
      try (ExecutorService pool = Executors.newFixedThreadPool(c.threads());
          ExecutorService mergePool = Executors.newFixedThreadPool(c.threads())) {
        IndexWriterConfig iwc = new IndexWriterConfig()
            .setCodec(LuceneVectors.codec(LuceneVectors.format(settings, c.threads(), c.threads() > 1 ? mergePool : null)))
            .setRAMBufferSizeMB(2000).setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        IndexWriter w = new IndexWriter(d, iwc);
        List<Future<?>> jobs = new ArrayList<>();
        for (int t = 0; t < c.threads(); t++) {
          int thread = t;
          jobs.add(pool.submit(() -> {
            for (int i = thread; i < c.count(); i += c.threads()) {
              Document doc = new Document();
              doc.add(new StoredField("id", i));
              doc.add(new KnnFloatVectorField(FIELD, vector(c.seed(), i, c.dims()), VectorSimilarityFunction.DOT_PRODUCT));
              w.addDocument(doc);
              if (thread == 0 && i % 10_000 == 0) {
                progress.accept(i);
              }
            }
            return null;
          }));
        }
        for (Future<?> f : jobs) {
          f.get();
        }
        w.commit();
        long t1 = System.nanoTime();
        if (c.merge()) {
          w.forceMerge(1);
          w.commit();
          mergeSeconds = (System.nanoTime() - t1) / 1e9;
        }
        w.close();
        buildSeconds = (t1 - t0) / 1e9;
      }

      float[][] queries = new float[c.queries()][];
      for (int q = 0; q < c.queries(); q++) {
        queries[q] = vector(c.seed() + 1, q, c.dims());
      }
      int[][] truth = groundTruth(c, queries);
      List<Point> points = new ArrayList<>();
      try (DirectoryReader reader = DirectoryReader.open(d)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        for (int candidates : c.candidates()) {
          for (int q = 0; q < Math.min(50, queries.length); q++) { // warm-up
            search(searcher, c, queries[q], candidates);
          }
          long[] nanos = new long[queries.length];
          double recall = 0;
          for (int q = 0; q < queries.length; q++) {
            long s = System.nanoTime();
            TopDocs td = search(searcher, c, queries[q], candidates);
            nanos[q] = System.nanoTime() - s;
            List<Integer> found = new ArrayList<>();
            for (ScoreDoc sd : td.scoreDocs) {
              found.add(searcher.storedFields().document(sd.doc).getField("id").numericValue().intValue());
            }
            recall += RankingMetrics.overlap(found, java.util.Arrays.stream(truth[q]).boxed().toList(), 10);
          }
          points.add(new Point(candidates, recall / queries.length, Percentiles.of(nanos)));
        }
        return new Result(c, buildSeconds, mergeSeconds, reader.leaves().size(), IndexFiles.bytesByExtension(dir), points);
      }
    } catch (Exception e) {
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw new IllegalStateException("vector benchmark failed: " + e, e);
    }
  }

  private static TopDocs search(IndexSearcher searcher, Config c, float[] q, int candidates) throws IOException {
    Query query = c.encoding() == VectorEncoding.FLOAT32
        ? new KnnFloatVectorQuery(FIELD, q, candidates)
        : RescoreTopNQuery.createFullPrecisionRescorerQuery(
            new KnnFloatVectorQuery(FIELD, q, Math.max(candidates, 10 * c.encoding().oversample())), q, FIELD, 10);
    return searcher.search(query, 10);
  }

  /** The exact top 10 ids of each query, by regenerating the data set and scoring every vector. */
  private static int[][] groundTruth(Config c, float[][] queries) {
    List<PriorityQueue<float[]>> heaps = new ArrayList<>();
    for (int q = 0; q < queries.length; q++) {
      heaps.add(new PriorityQueue<>((a, b) -> Float.compare(a[0], b[0])));
    }
    for (int i = 0; i < c.count(); i++) {
      float[] v = vector(c.seed(), i, c.dims());
      for (int q = 0; q < queries.length; q++) {
        float s = VectorUtil.dotProduct(queries[q], v);
        PriorityQueue<float[]> h = heaps.get(q);
        if (h.size() < 10) {
          h.add(new float[] {s, i});
        } else if (s > h.peek()[0]) {
          h.poll();
          h.add(new float[] {s, i});
        }
      }
    }
    int[][] out = new int[queries.length][];
    for (int q = 0; q < queries.length; q++) {
      List<float[]> best = new ArrayList<>(heaps.get(q));
      best.sort((a, b) -> Float.compare(b[0], a[0]));
      out[q] = best.stream().mapToInt(x -> (int) x[1]).toArray();
    }
    return out;
  }
}

package io.embed4j.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.EmbeddingModel;
import io.embed4j.index.SearchOptions;
import io.embed4j.index.SemanticIndex;
import io.embed4j.index.bench.BeirQueries;
import io.embed4j.index.bench.RankingMetrics;
import io.embed4j.index.chunk.Chunk;
import io.embed4j.index.job.BeirSourceSet;
import io.embed4j.index.job.IndexListener;
import io.embed4j.index.job.IndexReport;
import io.embed4j.index.store.ChunkRecord;
import io.embed4j.index.store.ModelStamp;
import io.embed4j.index.store.SearchMode;
import io.embed4j.index.store.StoreSettings;
import io.embed4j.vector.ExactSearch;
import io.embed4j.vector.SimilarityFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The store at corpus scale, on the shared 2-node cluster with a 2-shard collection. */
class SolrScaleTest {
  private static final Path SCIFACT = Path.of(System.getProperty("embed4j.shared", "../../shared"), "datasets/scifact");

  /**
   * SciFact's 5,183 documents indexed through the real indexing job into a 2-shard collection; the
   * 300 test queries' top 10 (Solr's HNSW, merged across shards) scored against the embedded
   * index's exact search over the same chunk vectors (brute force, best chunk per document: what
   * the embedded index's exact mode does). One embedding pass feeds both.
   */
  @Test
  void sciFactTopTenScoresWithinHalfAPointOfTheEmbeddedExactSearch() throws Exception {
    Assumptions.assumeTrue(Files.exists(SCIFACT.resolve("corpus.jsonl")), "SciFact is not at " + SCIFACT + " (../shared absent): skipped");
    try (EmbeddingModel model = EmbeddingModel.load("all-MiniLM-L6-v2-q")) {
      SolrLocation location = SolrTestCluster.newLocation("scifact", 1);
      StoreSettings settings = SolrStore.fitted(StoreSettings.defaults(), model);
      RecordingStore store = new RecordingStore(SolrStore.openOrCreate(location, settings, ModelStamp.of(model), SolrStore.Options.defaults()));
      SemanticIndex.Options options = SemanticIndex.Options.defaults().withLoader(SemanticIndex.ModelLoader.sharing(Map.of(model.name(), model)))
          .withModel(model.name());
      try (SemanticIndex index = SemanticIndex.over(store, options)) {
        long t0 = System.nanoTime();
        IndexReport report = index.update(List.of(new BeirSourceSet(SCIFACT)), IndexListener.NONE, () -> false);
        double indexSeconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(5183, report.added());
        assertEquals(5183, store.sources().size());
        assertEquals(store.chunks.size(), store.chunkCount());

        float[][] vectors = store.chunks.stream().map(ChunkRecord::vector).toArray(float[][]::new);
        ExactSearch exact = new ExactSearch(vectors, SimilarityFunction.COSINE);
        BeirQueries queries = BeirQueries.load(SCIFACT, "test");
        float[][] q = model.encodeQuery(queries.texts());
        double ndcgReference = 0;
        double ndcgSolr = 0;
        double overlap = 0;
        for (int i = 0; i < queries.size(); i++) {
          List<String> reference = bestDocuments(exact.search(q[i], 100), store.chunks, 10);
          List<String> solr = index.retrieve(queries.texts().get(i), q[i], 10, SearchMode.DENSE, SearchOptions.defaults()).stream()
              .map(SemanticIndex.ScoredDocument::id).toList();
          Map<String, Integer> judged = queries.qrels().get(queries.ids().get(i));
          ndcgReference += RankingMetrics.ndcg(reference, judged, 10);
          ndcgSolr += RankingMetrics.ndcg(solr, judged, 10);
          overlap += RankingMetrics.overlap(solr, reference, 10);
        }
        int n = queries.size();
        System.out.printf("SciFact on SolrCloud (2 nodes, 2 shards): %d chunks indexed in %.1f s; nDCG@10 Solr knn %.4f, "
            + "embedded exact %.4f; top-10 overlap %.4f%n", store.chunks.size(), indexSeconds, ndcgSolr / n, ndcgReference / n, overlap / n);
        assertEquals(ndcgReference / n, ndcgSolr / n, 0.005, "nDCG@10 within 0.5 points of the exact search");
        assertTrue(ndcgSolr / n > 0.6, "a sane SciFact score for MiniLM: " + ndcgSolr / n);
      }
    }
  }

  /** Best chunk per document, first {@code k} documents: the embedded index's exact search with one hit per source. */
  private static List<String> bestDocuments(List<ExactSearch.Hit> hits, List<ChunkRecord> chunks, int k) {
    Set<String> out = new LinkedHashSet<>();
    for (ExactSearch.Hit h : hits) {
      Chunk c = chunks.get(h.row()).chunk();
      out.add(c.record() != null ? c.record() : chunks.get(h.row()).sourceId());
      if (out.size() == k) {
        break;
      }
    }
    return new ArrayList<>(out);
  }
}

package io.embed4j.index.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.index.SemanticIndex;
import io.embed4j.index.TestCorpus;
import io.embed4j.index.job.BeirSourceSet;
import io.embed4j.index.job.IndexListener;
import io.embed4j.index.job.IndexReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny BEIR set indexed document by document and evaluated through the index, with metrics checked by hand. */
class BeirIndexTest {
  @TempDir Path tmp;

  @Test
  void beirCorpusIsIndexedPerDocumentAndEvaluatedThroughTheIndex() throws Exception {
    Path beir = tmp.resolve("mini");
    Files.createDirectories(beir.resolve("qrels"));
    Files.writeString(beir.resolve("corpus.jsonl"), """
        {"_id": "d1", "title": "Vitamin D", "text": "Vitamin D deficiency is linked to weaker bones in older adults."}
        {"_id": "d2", "title": "Sleep", "text": "Adults who sleep less than six hours show impaired memory consolidation."}
        {"_id": "d3", "title": "Coffee", "text": "Moderate coffee drinking was not associated with higher heart disease risk."}
        {"_id": "d4", "title": "Exercise", "text": "Regular aerobic exercise lowers resting blood pressure."}
        """);
    Files.writeString(beir.resolve("queries.jsonl"), """
        {"_id": "q1", "text": "lack of vitamin D harms bone health"}
        {"_id": "q2", "text": "short sleep hurts memory"}
        {"_id": "q3", "text": "unjudged query"}
        """);
    Files.writeString(beir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\r\nq1\td1\t1\r\nq2\td2\t1\r\nq2\td3\t0\r\n");
    Path location = tmp.resolve("index");
    try (SemanticIndex index = SemanticIndex.openOrCreate(location, new SemanticIndex.Options(null, TestCorpus.Models.loader(), null, null))) {
      IndexReport report = index.update(List.of(new BeirSourceSet(beir)), IndexListener.NONE, () -> false);
      assertEquals(4, report.added());
      assertEquals(4, index.store().sources().size(), "one source per BEIR document");
      BeirQueries queries = BeirQueries.load(beir, "test");
      assertEquals(List.of("q1", "q2"), queries.ids(), "only the split's judged queries, in qrels order");
      SearchBenchmark.Result r = SearchBenchmark.run(index, queries, SearchBenchmark.defaultVariants(0.5), 100);
      for (SearchBenchmark.Row row : r.rows()) {
        assertEquals(1.0, row.ndcgAt10(), 1e-9, row.name() + ": each query's one relevant document ranks first");
        assertEquals(1.0, row.recallAt10(), 1e-9, row.name());
      }
      assertEquals(1.0, r.hnswRecallAt10(), 1e-9);
      assertEquals("d1", index.retrieve("vitamin D and bones", null, 1, io.embed4j.index.store.SearchMode.HYBRID,
          io.embed4j.index.SearchOptions.defaults()).get(0).id());
    }
  }

  @Test
  void ndcgAndRecallFollowTrecEval() {
    Map<String, Integer> judged = Map.of("a", 2, "b", 1, "c", 0);
    // DCG = 1/log2(2) [b at rank 1] + 2/log2(4) [a at rank 3] = 1 + 1; IDCG = 2/1 + 1/log2(3)
    double expected = 2.0 / (2.0 + 1.0 / (Math.log(3) / Math.log(2)));
    assertEquals(expected, RankingMetrics.ndcg(List.of("b", "c", "a"), judged, 10), 1e-12);
    assertEquals(0.5, RankingMetrics.recall(List.of("b", "c"), judged, 10), 1e-12);
    assertEquals(0.0, RankingMetrics.ndcg(List.of("c"), judged, 10), 1e-12);
    assertTrue(Double.isFinite(RankingMetrics.ndcg(List.of(), Map.of(), 10)));
  }
}

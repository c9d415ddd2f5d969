package io.embed4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.Embed4jException;
import io.embed4j.cli.Embed4jCli;
import io.embed4j.encode.EncodeStats;
import io.embed4j.index.store.SearchHit;
import io.embed4j.index.store.SearchMode;
import io.embed4j.index.store.SearchRequest;
import io.embed4j.solr.SolrBulkWriter;
import io.embed4j.solr.SolrLocation;
import io.embed4j.solr.SolrStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job writing straight into a real SolrCloud (2 nodes, a 2-shard collection, in a child JVM):
 * every row lands once with the vector {@code embed4j encode} makes, a retried task leaves no
 * duplicates, a resumed run skips finished buckets, and a collection of another model is refused.
 */
@Timeout(600)
class SolrSinkTest {
  private static final EmbedSpec SPEC = EmbedSpec.of("all-MiniLM-L6-v2");

  private static SparkSession spark;
  private static List<String> texts;
  private static ChildSolrCloud solr;
  private static int collections;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    String why = ChildSolrCloud.unavailableReason();
    Assumptions.assumeTrue(why == null, why);
    solr = ChildSolrCloud.start();
    spark = SparkTestSupport.session();
    texts = SparkTestSupport.texts(240);
    InjectedFaults.register(spark);
  }

  @AfterAll
  static void stop() throws Exception {
    if (solr != null) {
      solr.close();
    }
  }

  private static String newCollection() {
    return solr.location("spark_" + (++collections), "shards=2&replicas=1");
  }

  private Path input() throws Exception {
    return SparkTestSupport.writeJsonl(tmp.resolve("texts.jsonl"), texts);
  }

  @Test
  void everyRowLandsOnceWithTheVectorEncodeMakes() throws Exception {
    String out = newCollection();
    JobReport report = EmbedJob.run(spark, EmbedRequest.of(input().toString(), out, SPEC).withPartitions(3));
    assertEquals(texts.size(), report.written());

    Path txt = Files.write(tmp.resolve("texts.txt"), texts);
    Path cliOut = tmp.resolve("cli.jsonl");
    assertEquals(0, Embed4jCli.execute("encode", "--input", txt.toString(), "--output", cliOut.toString(), "--quiet"));
    List<String> lines = Files.readAllLines(cliOut);
    ObjectMapper json = new ObjectMapper();
    try (SolrStore store = SolrStore.open(SolrLocation.parse(out), true, SolrStore.Options.defaults())) {
      assertEquals(texts.size(), store.chunkCount());
      assertEquals(texts.size(), store.sources().size());
      assertEquals("all-MiniLM-L6-v2", store.model().name());
      assertEquals(384, store.model().dimensions());
      for (int i = 0; i < texts.size(); i++) {
        // Exact search with encode's vector: the row's own document first, at cosine >= 0.9999.
        float[] expected = json.readValue(lines.get(i), float[].class);
        List<SearchHit> hits = store.search(SearchRequest.of(null, expected, 1, SearchMode.EXACT));
        assertEquals("d" + i, hits.get(0).record(), "text " + i);
        assertEquals(texts.get(i), hits.get(0).text());
        assertTrue(hits.get(0).score() >= 0.9999, "text " + i + ": cosine " + hits.get(0).score());
      }
    }
  }

  @Test
  void retriedTaskLeavesNoDuplicates() throws Exception {
    InjectedFaults.FIRST_ATTEMPT_ROWS.set(0);
    String out = newCollection();
    // Blocks of 4 texts and requests of 8 documents (4 rows): the failing attempt has sent rows to Solr before it fails.
    EmbedRequest request = EmbedRequest.of(input().toString(), out, SPEC.withBlockSize(4)).withTextExpr("fail_first_attempt(text)")
        .withPartitions(3);
    JobReport report = EmbedJob.run(spark, request, new SolrSink(out, 8));
    assertTrue(InjectedFaults.FIRST_ATTEMPT_ROWS.get() > 20, "the first attempt of bucket 1 failed after sending rows");
    assertEquals(texts.size(), report.written());
    try (SolrStore store = SolrStore.open(SolrLocation.parse(out), true, SolrStore.Options.defaults())) {
      assertEquals(texts.size(), store.chunkCount(), "each row once");
      assertEquals(texts.size(), store.sources().size());
    }
  }

  @Test
  void skipExistingResumesWithoutRedoingFinishedBuckets() throws Exception {
    String out = newCollection();
    EmbedRequest request = EmbedRequest.of(input().toString(), out, SPEC).withTextExpr("fail_bucket_2(text)").withPartitions(4);
    InjectedFaults.BREAK_BUCKET_2.set(true);
    try {
      assertThrows(Exception.class, () -> EmbedJob.run(spark, request), "bucket 2 fails every attempt, so the job fails");
    } finally {
      InjectedFaults.BREAK_BUCKET_2.set(false);
    }
    int finished = new SolrSink(out).finished().size(); // the failure cancels the stage: 1 to 3 buckets got done
    assertTrue(finished >= 1 && finished <= 3, "buckets done before the job failed: " + finished);
    Embed4jException refused = assertThrows(Embed4jException.class, () -> EmbedJob.run(spark, request));
    assertTrue(refused.getMessage().contains("--skip-existing"), refused.getMessage());

    JobReport resumed = EmbedJob.run(spark, request.withSkipExisting(true));
    assertEquals(finished, resumed.alreadyDone(), "the buckets that finished are not redone");
    assertEquals(4 - finished, resumed.embedded());
    try (SolrStore store = SolrStore.open(SolrLocation.parse(out), true, SolrStore.Options.defaults())) {
      assertEquals(texts.size(), store.chunkCount());
    }
    JobReport again = EmbedJob.run(spark, request.withSkipExisting(true));
    assertEquals(4, again.alreadyDone());
    assertEquals(0, again.written());

    Embed4jException otherRun = assertThrows(Embed4jException.class, () -> EmbedJob.run(spark, request.withSkipExisting(true).withPartitions(3)));
    assertTrue(otherRun.getMessage().contains("--partitions 3 is not 4"), otherRun.getMessage());
  }

  @Test
  void documentsSolrLosesAfterAcknowledgingThemAreFoundAndTheirBucketRedone() throws Exception {
    String out = newCollection();
    EmbedRequest request = EmbedRequest.of(input().toString(), out, SPEC).withPartitions(3);
    JobReport first = EmbedJob.run(spark, request);
    assertEquals(texts.size(), first.written());
    SolrStore.Options options = SolrStore.Options.defaults();
    String bucket;
    long bucketRows;
    try (SolrStore store = SolrStore.open(SolrLocation.parse(out), false, options)) {
      SearchHit hit = store.search(SearchRequest.of(texts.get(7), null, 1, SearchMode.BM25)).get(0);
      bucket = hit.metadata().get(SolrBulkWriter.UNIT_KEY);
      bucketRows = SolrBulkWriter.unitCounts(SolrLocation.parse(out), options, SolrSink.JOB).get(bucket);
      // What Solr did in the node-restart runs of embed4j-solr's SolrNodeFailureTest: acknowledged documents gone.
      store.delete(hit.sourceId());
      store.commit();
    }
    SolrSink sink = new SolrSink(out);
    Embed4jException lost = assertThrows(Embed4jException.class, () -> sink.finish(List.of(
        BucketResult.done(Integer.parseInt(bucket), bucketRows, 0, 0, EncodeStats.EMPTY, 0))));
    assertTrue(lost.getMessage().contains("{" + bucket + "=1}") && lost.getMessage().contains("--skip-existing"), lost.getMessage());
    assertFalse(sink.finished().contains(Integer.parseInt(bucket)), "the short bucket is no longer marked done");

    JobReport resumed = EmbedJob.run(spark, request.withSkipExisting(true));
    assertEquals(2, resumed.alreadyDone());
    assertEquals(bucketRows, resumed.written(), "only the short bucket is redone");
    try (SolrStore store = SolrStore.open(SolrLocation.parse(out), true, options)) {
      assertEquals(texts.size(), store.chunkCount());
    }
  }

  @Test
  void aCollectionOfAnotherModelIsRefused() throws Exception {
    String out = newCollection();
    EmbedJob.run(spark, EmbedRequest.of(input().toString(), out, SPEC).withPartitions(2));
    Embed4jException e = assertThrows(Embed4jException.class,
        () -> EmbedJob.run(spark, EmbedRequest.of(input().toString(), out, SPEC.withDimensions(128)).withPartitions(2).withOverwrite(true)));
    assertTrue(e.getMessage().contains("128-d"), e.getMessage());
  }
}

package io.embed4j.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.embed4j.index.chunk.Chunk;
import io.embed4j.index.store.ChunkRecord;
import io.embed4j.index.store.ModelStamp;
import io.embed4j.index.store.SearchHit;
import io.embed4j.index.store.SearchMode;
import io.embed4j.index.store.SearchRequest;
import io.embed4j.index.store.SourceRecord;
import io.embed4j.index.store.StoreSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.impl.HttpJdkSolrClient;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.Slice;
import org.apache.solr.common.params.CursorMarkParams;
import org.apache.solr.embedded.JettySolrRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Solr node stopped while the store is indexing, and started again: the store rides it out and
 * the collection ends up with every document exactly once.
 *
 * <p>Each test indexes {@value #SOURCES} sources of {@value #CHUNKS_PER_SOURCE} chunks (random
 * 128-d unit vectors) into a 2-shard collection, in {@value #ROUNDS} commits of batches of
 * {@value #BATCH} documents, from a background thread. Part-way through the second commit (the
 * first commit's documents and 3 more batches acknowledged) the node leading shard1 is stopped, kept
 * down for {@value #DOWN_SECONDS} s, and started again on its old address. Then it checks exact
 * figures: every expected id present (and, when one is not, whether another commit brings it: lost
 * or only not visible), none twice, chunks and sources as written, every replica of a shard holding
 * the same number of documents, and searches still finding chunks by their vectors.
 *
 * <p>With 2 replicas per shard the surviving node holds a full copy: writes go on there after a
 * leader election, and the restarted node recovers from it. With 1 replica the stopped node's shard
 * cannot take writes at all: the store must keep retrying until the node is back, then succeed.
 * Before the store read its writes back, this test found acknowledged updates lost for good there
 * (34 and 46 chunks in two runs: updates the live node forwarded to the node that was starting
 * again).
 *
 * <p>The tests run on a cluster of their own (stopping a node of the shared one would disturb the
 * other tests), with a short request timeout so a call stuck on the dying node is abandoned quickly.
 */
class SolrNodeFailureTest {
  private static final int SOURCES = 1000;
  private static final int CHUNKS_PER_SOURCE = 3;
  private static final int ROUNDS = 4;
  private static final int BATCH = 100;
  private static final int DOWN_SECONDS = 5;
  private static final int DIMENSIONS = 128;
  private static final ModelStamp MODEL = new ModelStamp("random-128", "random-128", "5eed5eed5eed5eed", DIMENSIONS, true,
      "cosine", "", "", 256);
  // Patient enough to outlast the outage and the restart (about 75 s in all), with short pauses so
  // that indexing resumes soon after the node is back.
  private static final SolrStore.Options OPTIONS = SolrStore.Options.defaults().withBatchSize(BATCH)
      .withRetry(new RetryPolicy(40, Duration.ofMillis(250), Duration.ofSeconds(2)))
      .withRequestTimeout(Duration.ofSeconds(10));

  private static MiniSolrCloudCluster cluster;

  @BeforeAll
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  static void startCluster() throws Exception {
    cluster = SolrTestCluster.start(2);
  }

  @AfterAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void withTwoReplicasANodeStoppedMidIndexingLosesAndDuplicatesNothing() throws Exception {
    indexThroughANodeRestart(2);
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void withOneReplicaIndexingWaitsForTheStoppedNodeAndThenCompletes() throws Exception {
    indexThroughANodeRestart(1);
  }

  private void indexThroughANodeRestart(int replicas) throws Exception {
    SolrLocation location = SolrTestCluster.newLocation(cluster, "failover", replicas);
    String collection = location.collection();
    try (SolrStore store = SolrStore.openOrCreate(location, StoreSettings.defaults(), MODEL, OPTIONS)) {
      cluster.waitForActiveCollection(collection, 60, TimeUnit.SECONDS, 2, 2 * replicas);
      int retriesBefore = store.retries();
      long resentBefore = store.resent();
      long sentBefore = store.documentsSent();
      AtomicInteger roundsCommitted = new AtomicInteger();
      long t0 = System.nanoTime();
      CompletableFuture<Void> indexing = CompletableFuture.runAsync(() -> {
        int perRound = SOURCES / ROUNDS;
        for (int round = 0; round < ROUNDS; round++) {
          for (int s = round * perRound; s < (round + 1) * perRound; s++) {
            List<ChunkRecord> chunks = new ArrayList<>();
            for (int ord = 0; ord < CHUNKS_PER_SOURCE; ord++) {
              chunks.add(chunk(s, ord));
            }
            store.put(source(s), chunks);
          }
          store.commit();
          roundsCommitted.incrementAndGet();
        }
      });

      // Part-way through commit 2: commit 1's documents and a few of its batches are acknowledged.
      long stopAfter = sentBefore + SOURCES / ROUNDS * (CHUNKS_PER_SOURCE + 1) + 3 * BATCH;
      while (store.documentsSent() < stopAfter && !indexing.isDone()) {
        Thread.sleep(5);
      }
      assertTrue(roundsCommitted.get() < ROUNDS, "indexing was over before the node was stopped");
      JettySolrRunner node = nodeLeading(collection, "shard1");
      String address = node.getBaseUrl().toString();
      double stoppedAt = seconds(t0);
      long sentAtStop = store.documentsSent() - sentBefore;
      cluster.stopJettySolrRunner(node);
      cluster.waitForJettyToStop(node);
      Thread.sleep(DOWN_SECONDS * 1000L);
      int roundsAtRestart = roundsCommitted.get();
      cluster.startJettySolrRunner(node, true); // on its old port: the address the store lists
      cluster.waitForNode(node, 60);
      assertEquals(address, node.getBaseUrl().toString(), "the node came back where the store looks for it");
      double restartedAt = seconds(t0);
      indexing.get(120, TimeUnit.SECONDS);
      double indexSeconds = seconds(t0);
      cluster.waitForActiveCollection(collection, 60, TimeUnit.SECONDS, 2, 2 * replicas);

      int retries = store.retries() - retriesBefore;
      System.out.println("Stopped and restarted: " + address);
      System.out.printf("Node failure, 2 shards x %d replica(s): %d chunks + %d sources indexed in %.1f s in %d commits of "
              + "%d-document batches; node stopped at %.1f s (%d documents acknowledged), back at %.1f s; %d of %d commits done when it "
              + "was started again; %d retries, %d documents sent again after the read-back%n",
          replicas, SOURCES * CHUNKS_PER_SOURCE, SOURCES, indexSeconds, ROUNDS, BATCH, stoppedAt, sentAtStop, restartedAt, roundsAtRestart,
          ROUNDS, retries, store.resent() - resentBefore);
      summarize(store.retryReasons()).forEach((reason, n) -> System.out.println("  retried " + n + "x: " + reason));

      List<String> ids = allIds(collection);
      Set<String> distinct = new HashSet<>(ids);
      assertEquals(ids.size(), distinct.size(), "an id appears twice");
      Set<String> missing = new TreeSet<>(expectedIds());
      missing.removeAll(distinct);
      if (!missing.isEmpty()) {
        // Lost, or only not visible yet? Another commit tells them apart.
        cluster.getSolrClient().commit(collection, true, true);
        Set<String> afterCommit = new HashSet<>(allIds(collection));
        fail(missing.size() + " ids missing (first: " + missing.stream().limit(8).toList() + "); after another commit "
            + missing.stream().filter(id -> !afterCommit.contains(id)).count() + " still missing");
      }
      Set<String> extra = new TreeSet<>(distinct);
      extra.removeAll(expectedIds());
      assertEquals(Set.of(), extra, "ids never written");
      assertEquals(SOURCES * CHUNKS_PER_SOURCE, store.chunkCount(), "chunks");
      assertEquals(SOURCES, store.sources().size(), "sources");
      assertReplicasAgree(collection, ids.size());
      for (int s : new int[] {0, SOURCES / 2, SOURCES - 1}) {
        for (SearchMode mode : List.of(SearchMode.EXACT, SearchMode.DENSE)) {
          List<SearchHit> hits = store.search(SearchRequest.of(null, vector(s, 1), 1, mode));
          assertEquals(List.of(sourceId(s) + "#1"), hits.stream().map(h -> h.sourceId() + "#" + h.ordinal()).toList(), mode.toString());
        }
      }
    }
  }

  /** The node that leads {@code shard} now: stopping it forces a leader election (or, with one replica, leaves the shard without one). */
  private static JettySolrRunner nodeLeading(String collection, String shard) {
    String nodeName = cluster.getZkStateReader().getClusterState().getCollection(collection).getSlice(shard).getLeader().getNodeName();
    return cluster.getJettySolrRunners().stream().filter(j -> nodeName.equals(j.getNodeName())).findFirst().orElseThrow();
  }

  /** Every document id in the collection as the cluster answers a distributed query, paged with a cursor. */
  private static List<String> allIds(String collection) throws Exception {
    List<String> ids = new ArrayList<>();
    String cursor = CursorMarkParams.CURSOR_MARK_START;
    while (true) {
      SolrQuery q = new SolrQuery("*:*").setFields("id").setRows(2000).setSort("id", SolrQuery.ORDER.asc);
      q.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
      QueryResponse r = cluster.getSolrClient().query(collection, q);
      for (SolrDocument d : r.getResults()) {
        ids.add((String) d.getFirstValue("id"));
      }
      if (cursor.equals(r.getNextCursorMark())) {
        return ids;
      }
      cursor = r.getNextCursorMark();
    }
  }

  /**
   * Each replica asked on its own (distrib=false): the replicas of a shard hold the same number of
   * documents (the restarted node caught up), and the shards together hold {@code total}.
   */
  private static void assertReplicasAgree(String collection, int total) throws Exception {
    DocCollection state = cluster.getZkStateReader().getClusterState().getCollection(collection);
    long sum = 0;
    for (Slice slice : state.getSlices()) {
      Set<Long> counts = new HashSet<>();
      for (Replica replica : slice.getReplicas()) {
        try (SolrClient client = new HttpJdkSolrClient.Builder(replica.getBaseUrl()).useHttp1_1(true).build()) {
          SolrQuery q = new SolrQuery("*:*").setRows(0);
          q.set("distrib", false);
          counts.add(client.query(replica.getCoreName(), q).getResults().getNumFound());
        }
      }
      assertEquals(1, counts.size(), slice.getName() + "'s replicas disagree: " + counts);
      sum += counts.iterator().next();
    }
    assertEquals(total, sum, "documents summed over the shards");
  }

  private static Set<String> expectedIds() {
    Set<String> ids = new HashSet<>();
    ids.add(SolrDocuments.META_ID);
    for (int s = 0; s < SOURCES; s++) {
      ids.add(SolrDocuments.sourceDocId(sourceId(s)));
      for (int ord = 0; ord < CHUNKS_PER_SOURCE; ord++) {
        ids.add(SolrDocuments.chunkId(sourceId(s), ord));
      }
    }
    return ids;
  }

  private static Map<String, Integer> summarize(List<String> reasons) {
    Map<String, Integer> out = new TreeMap<>();
    for (String r : reasons) {
      // waits differ; the kinds of failure, and the nodes, matter
      String kind = r.replaceAll("\\d+ms", "Nms");
      out.merge(kind.length() > 160 ? kind.substring(0, 160) + "..." : kind, 1, Integer::sum);
    }
    return out;
  }

  private static String sourceId(int s) {
    return "/docs/doc-" + s + ".txt";
  }

  private static SourceRecord source(int s) {
    return new SourceRecord(sourceId(s), sourceId(s), "100:1", "sha-" + s, "text", CHUNKS_PER_SOURCE, "");
  }

  private static ChunkRecord chunk(int s, int ord) {
    String text = "document " + s + " part " + ord + " about topic " + (s % 17);
    Chunk c = new Chunk(text, "", ord + 1, ord + 1, -1, -1, 0, null, Map.of(), 8);
    return new ChunkRecord(sourceId(s), sourceId(s), ord, "text", c, vector(s, ord));
  }

  /** A random unit vector, the same for the same chunk every time (so a search can look a chunk up by it). */
  private static float[] vector(int s, int ord) {
    Random random = new Random((s * 1_000_003L + ord) * 0x9E3779B97F4A7C15L);
    float[] v = new float[DIMENSIONS];
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) random.nextGaussian();
      norm += v[i] * v[i];
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}

package io.embed4j.solr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.solr.cloud.MiniSolrCloudCluster;

/**
 * One real SolrCloud for this module's tests: two Solr nodes and an embedded ZooKeeper in this JVM
 * (solr-test-framework's MiniSolrCloudCluster), started on first use and stopped when the JVM
 * exits. Each test makes collections of its own with fresh names. A test that stops nodes starts a
 * cluster of its own ({@link #start}).
 */
final class SolrTestCluster {
  private static final AtomicInteger COLLECTIONS = new AtomicInteger();
  private static MiniSolrCloudCluster cluster;
  private static IllegalStateException failed;

  private SolrTestCluster() {}

  static synchronized MiniSolrCloudCluster get() {
    if (failed != null) {
      throw failed; // tried once: the reason is the same for every test
    }
    if (cluster == null) {
      try {
        cluster = start(2);
        MiniSolrCloudCluster c = cluster;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            c.shutdown();
          } catch (Exception e) {
            // the JVM is exiting; the temp directory goes with the machine's cleanup
          }
        }));
      } catch (Exception e) {
        failed = new IllegalStateException("cannot start the in-process SolrCloud: " + e, e);
        throw failed;
      }
    }
    return cluster;
  }

  /** A new cluster of {@code nodes} Solr nodes and its own ZooKeeper; the caller shuts it down. */
  static MiniSolrCloudCluster start(int nodes) throws Exception {
    Path dir = Files.createTempDirectory("embed4j-solrcloud");
    // The test framework's defaults assume its own runner; these keep a plain JUnit 5 run quiet and small.
    System.setProperty("solr.allowPaths", "*");
    System.setProperty("solr.disableConfigSetsCreateAuthChecks", "true");
    return new MiniSolrCloudCluster.Builder(nodes, dir).withMetrics(false).build();
  }

  /** A fresh collection address on the shared cluster: every node listed, 2 shards, {@code replicas} replicas each. */
  static SolrLocation newLocation(String prefix, int replicas) {
    return newLocation(get(), prefix, replicas);
  }

  /** As {@link #newLocation(String, int)} on {@code cluster}. */
  static SolrLocation newLocation(MiniSolrCloudCluster cluster, String prefix, int replicas) {
    List<String> urls = cluster.getJettySolrRunners().stream().map(j -> j.getBaseUrl().toString()).toList();
    String hosts = String.join(",", urls.stream().map(u -> u.replaceFirst("^http://", "").replaceFirst("/solr$", "")).toList());
    return SolrLocation.parse("solr://" + hosts + "/" + prefix + "_" + COLLECTIONS.incrementAndGet() + "?shards=2&replicas=" + replicas);
  }

  /** Starts the test cluster by hand (for trying the CLI against it) and prints its nodes; runs until killed. */
  public static void main(String[] args) throws Exception {
    List<String> urls = get().getJettySolrRunners().stream().map(j -> j.getBaseUrl().toString()).toList();
    System.out.println("solr://" + String.join(",", urls.stream().map(u -> u.replaceFirst("^http://", "").replaceFirst("/solr$", "")).toList()));
    Thread.currentThread().join();
  }
}

package io.embed4j.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real 2-node SolrCloud in a child JVM: embed4j-solr's test cluster (solr-test-framework's
 * MiniSolrCloudCluster), started from that module's test class path. It cannot run in this JVM:
 * Solr brings Lucene 9 and its own Netty, which clash with Spark's; a real deployment has them in
 * separate processes too.
 */
final class ChildSolrCloud implements AutoCloseable {
  private static final Path SOLR_MODULE = Path.of("../embed4j-solr/target");

  private final Process process;
  private final String hosts;

  private ChildSolrCloud(Process process, String hosts) {
    this.process = process;
    this.hosts = hosts;
  }

  /** Why the cluster cannot start here, or null when it can (embed4j-solr is built beside this module). */
  static String unavailableReason() {
    if (!Files.exists(SOLR_MODULE.resolve("test-classpath.txt")) || !Files.isDirectory(SOLR_MODULE.resolve("test-classes"))) {
      return "embed4j-solr's test class path is not at " + SOLR_MODULE.toAbsolutePath().normalize()
          + " (build the whole project, e.g. ./test, so that module's tests are compiled first): skipped";
    }
    return null;
  }

  static ChildSolrCloud start() throws IOException, InterruptedException {
    String classPath = String.join(java.io.File.pathSeparator, SOLR_MODULE.resolve("classes").toString(),
        SOLR_MODULE.resolve("test-classes").toString(), Files.readString(SOLR_MODULE.resolve("test-classpath.txt")).strip());
    Path log = Files.createTempFile("embed4j-child-solr", ".log");
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "-cp", classPath, "io.embed4j.solr.SolrTestCluster"))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    // The cluster prints its address (solr://host:port,host:port) when both nodes are up.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
        if (line.startsWith("solr://")) {
          return new ChildSolrCloud(p, line.strip().substring("solr://".length()));
        }
      }
      if (!p.isAlive()) {
        throw new IOException("the child SolrCloud exited with " + p.exitValue() + "; its log: " + log);
      }
      Thread.sleep(250);
    }
    p.destroyForcibly();
    throw new IOException("the child SolrCloud did not start within 180 s; its log: " + log);
  }

  /** An address for a new collection on this cluster, every node listed. */
  String location(String collection, String parameters) {
    return "solr://" + hosts + "/" + collection + (parameters.isEmpty() ? "" : "?" + parameters);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}

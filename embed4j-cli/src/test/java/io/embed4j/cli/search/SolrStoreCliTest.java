package io.embed4j.cli.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.cli.Embed4jCli;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --store solr://...} mistakes in the CLI: one line naming the problem, exit 2, no stack
 * trace. (The store itself runs against a real SolrCloud in embed4j-solr's tests; Solr's Lucene 9
 * cannot share this module's class path with the embedded index's Lucene 10.)
 */
class SolrStoreCliTest {
  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), Embed4jCli.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "CLI did not finish");
    return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void aMalformedStoreAddressIsOneLineShowingTheForm() throws Exception {
    Run r = run("search", "--store", "solr://solr-host/docs", "query");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().strip().startsWith("embed4j: --store 'solr://solr-host/docs': 'solr-host' is not HOST:PORT; expected solr://HOST:PORT"),
        r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void anUnreachableClusterIsNamedWithinSeconds() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free now, closed below: nothing listens there
    }
    Run s = run("search", "--store", "solr://127.0.0.1:" + port + "/scifact", "query");
    assertEquals(2, s.exit(), s.err());
    assertTrue(s.err().contains("listing collections failed after 3 tries; last: ") && s.err().contains("127.0.0.1:" + port),
        s.err());
    assertEquals(1, s.err().strip().lines().count(), s.err());
  }
}

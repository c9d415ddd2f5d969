package io.embed4j.solr;

import io.embed4j.Embed4jException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.HttpJdkSolrClient;
import org.apache.solr.common.SolrException;

/**
 * The cluster's nodes as the store reaches them: one HTTP client per listed node (the JDK's HTTP
 * client, so no Jetty client comes along), and every call tried again with backoff, on the next
 * node, when a node is unreachable or answers 5xx (down, restarting, electing a leader). Requests
 * the cluster refuses as wrong (4xx) fail at once.
 */
final class SolrNodes implements AutoCloseable {
  @FunctionalInterface
  interface Call<T> {
    T on(SolrClient client) throws SolrServerException, IOException;
  }

  private final SolrLocation location;
  private final List<SolrClient> clients = new ArrayList<>();
  private final RetryPolicy retry;
  private final AtomicInteger next = new AtomicInteger();

  SolrNodes(SolrLocation location, RetryPolicy retry) {
    this.location = location;
    this.retry = retry;
    for (String url : location.baseUrls()) {
      clients.add(new HttpJdkSolrClient.Builder(url)
          .withConnectionTimeout(5, TimeUnit.SECONDS)
          .withIdleTimeout(120, TimeUnit.SECONDS)
          .useHttp1_1(true) // plain HTTP/1.1: no h2c upgrade dance with every Solr version
          .build());
    }
  }

  /** Runs {@code call}, retrying on another node after a transient failure; {@code what} names it in errors. */
  <T> T call(String what, Call<T> call) {
    Exception last = null;
    for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
      if (attempt > 1) {
        sleep(retry.backoff(attempt));
      }
      SolrClient client = clients.get(Math.floorMod(next.getAndIncrement(), clients.size()));
      try {
        return call.on(client);
      } catch (SolrServerException | IOException e) {
        last = e; // unreachable or timed out: the next node may answer
      } catch (SolrException e) {
        if (!transientStatus(e.code())) {
          throw new Embed4jException.InvalidInput("Solr " + location + " refused " + what + ": " + firstLine(e.getMessage()));
        }
        last = e;
      }
    }
    throw new Embed4jException.Unavailable("Solr " + location + ": " + what + " failed after " + retry.attempts()
        + " tries: " + firstLine(last.getMessage()));
  }

  /** 5xx: the node or shard is unavailable for now (a leader election, a restart). */
  static boolean transientStatus(int code) {
    return code >= 500 || code == 0;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Embed4jException.InvalidInput("interrupted while waiting to retry a Solr request");
    }
  }

  SolrLocation location() {
    return location;
  }

  @Override
  public void close() {
    for (SolrClient c : clients) {
      try {
        c.close();
      } catch (IOException e) {
        // closing a client releases local resources only; nothing to tell the user
      }
    }
  }
}

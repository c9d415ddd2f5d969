package io.embed4j.solr;

import io.embed4j.Embed4jException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

  static final int REQUEST_TIMEOUT_SECONDS = 60;

  private final SolrLocation location;
  private final List<SolrClient> clients = new ArrayList<>();
  // Calls run here so that a caller can give up on one: SolrJ's JDK client streams a request body
  // through a pipe, and when a node dies mid-upload neither the pipe nor the request timeout ends it.
  private final ExecutorService callers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "embed4j-solr-call");
    t.setDaemon(true);
    return t;
  });
  private final RetryPolicy retry;
  private final AtomicInteger next = new AtomicInteger();

  SolrNodes(SolrLocation location, RetryPolicy retry) {
    this.location = location;
    this.retry = retry;
    for (String url : location.baseUrls()) {
      clients.add(client(url));
    }
  }

  private static SolrClient client(String url) {
    return new HttpJdkSolrClient.Builder(url)
        .withConnectionTimeout(5, TimeUnit.SECONDS)
        .withIdleTimeout(120, TimeUnit.SECONDS)
        .withRequestTimeout(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .useHttp1_1(true) // plain HTTP/1.1: no h2c upgrade dance with every Solr version
        .build();
  }

  /** Runs {@code call}, retrying on another node after a transient failure; {@code what} names it in errors. */
  <T> T call(String what, Call<T> call) {
    return call(what, retry, call);
  }

  /** As {@link #call(String, Call)} with another retry policy. */
  <T> T call(String what, RetryPolicy retry, Call<T> call) {
    String last = null;
    for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
      if (attempt > 1) {
        sleep(retry.backoff(attempt));
      }
      int node = Math.floorMod(next.getAndIncrement(), clients.size());
      SolrClient client = client(node);
      Future<T> pending = callers.submit(() -> call.on(client));
      try {
        return pending.get(REQUEST_TIMEOUT_SECONDS + 5, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        pending.cancel(true);
        replace(node, client); // closing the client frees the thread stuck in it
        last = "no answer within " + (REQUEST_TIMEOUT_SECONDS + 5) + " s at " + location.baseUrls().get(node);
      } catch (InterruptedException e) {
        pending.cancel(true);
        Thread.currentThread().interrupt();
        throw new Embed4jException.InvalidInput("interrupted during " + what + " on Solr " + location);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof SolrServerException || cause instanceof IOException) {
          last = reason(cause) + " at " + location.baseUrls().get(node); // unreachable or timed out: the next node may answer
        } else if (cause instanceof SolrException se) {
          if (!transientStatus(se.code())) {
            throw new Embed4jException.InvalidInput("Solr " + location + " refused " + what + ": " + reason(se));
          }
          last = reason(se) + " at " + location.baseUrls().get(node);
        } else if (cause instanceof RuntimeException re) {
          throw re;
        } else {
          throw new IllegalStateException(cause);
        }
      }
    }
    throw new Embed4jException.Unavailable("Solr " + location + ": " + what + " failed after " + retry.attempts()
        + " tries; last: " + last);
  }

  /** The first message along the causes (connection errors often have none), else the exception's kind. */
  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank() && !(t instanceof SolrServerException)) {
        return firstLine(t.getMessage());
      }
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName();
  }

  private synchronized SolrClient client(int node) {
    return clients.get(node);
  }

  private synchronized void replace(int node, SolrClient stuck) {
    if (clients.get(node) == stuck) {
      clients.set(node, client(location.baseUrls().get(node)));
      // The JDK client's close waits for its requests, and this one never ends: close it aside.
      Thread closer = new Thread(() -> closeQuietly(stuck), "embed4j-solr-close");
      closer.setDaemon(true);
      closer.start();
    }
  }

  private static void closeQuietly(SolrClient c) {
    try {
      c.close();
    } catch (IOException e) {
      // closing a client releases local resources only; nothing to tell the user
    }
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
  public synchronized void close() {
    callers.shutdownNow();
    for (SolrClient c : clients) {
      closeQuietly(c);
    }
  }
}

package io.embed4j.solr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.Embed4jException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.HttpJdkSolrClient;
import org.apache.solr.client.solrj.request.JavaBinUpdateRequestCodec;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.CursorMarkParams;

/**
 * The cluster's nodes as the store reaches them: one HTTP client per listed node (the JDK's HTTP
 * client, so no Jetty client comes along), and every call tried again with backoff, on the next
 * node, when a node is unreachable, times out or answers 5xx (down, restarting, electing a leader).
 * Requests the cluster refuses as wrong (4xx) fail at once.
 *
 * <p>Updates (adds, deletes) do not go through SolrJ's client: it streams a request body from a
 * writer thread through a pipe, and both run on the client's pool of 4 threads, which the JDK's
 * HTTP client also needs to read the pipe and to complete a request, its timeout included. When a
 * node died mid-upload, writers stuck on pipes that nobody drained took every thread: the request,
 * and every later one on that client, hung for good (seen in jstack in the node-failure test).
 * Updates are marshalled to javabin once, and each try posts the bytes ({@link #update}).
 */
final class SolrNodes implements AutoCloseable {
  @FunctionalInterface
  interface Call<T> {
    T on(SolrClient client) throws SolrServerException, IOException;
  }

  /** One try of a call on node number {@code node}, whose SolrJ client is {@code client}. */
  @FunctionalInterface
  private interface Attempt<T> {
    T on(int node, SolrClient client) throws SolrServerException, IOException;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SolrLocation location;
  private final List<SolrClient> clients = new ArrayList<>();
  /** For updates: byte-array bodies, no pipe, and the JDK's own (unbounded) executor. */
  private final HttpClient http;
  // Calls run here so that a caller can give up on one that its client's timeout does not end.
  private final ExecutorService callers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "embed4j-solr-call");
    t.setDaemon(true);
    return t;
  });
  private final RetryPolicy retry;
  private final Duration requestTimeout;
  // The client's own timeout should end a call first; this is the backstop when it does not.
  private final Duration watchdog;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger retries = new AtomicInteger();
  private final Queue<String> retryReasons = new ConcurrentLinkedQueue<>();

  SolrNodes(SolrLocation location, SolrStore.Options options) {
    this.location = location;
    this.retry = options.retry();
    this.requestTimeout = options.requestTimeout();
    this.watchdog = requestTimeout.plusSeconds(5);
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout()).build();
    for (String url : location.baseUrls()) {
      clients.add(client(url));
    }
  }

  private Duration connectTimeout() {
    return requestTimeout.compareTo(Duration.ofSeconds(5)) < 0 ? requestTimeout : Duration.ofSeconds(5);
  }

  private SolrClient client(String url) {
    return new HttpJdkSolrClient.Builder(url)
        .withConnectionTimeout(connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .withIdleTimeout(120, TimeUnit.SECONDS)
        .withRequestTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .useHttp1_1(true) // plain HTTP/1.1: no h2c upgrade dance with every Solr version
        .build();
  }

  /**
   * Sends {@code update} (adds, deletes) to {@code collection} as one javabin body, retried as
   * {@link #call(String, Call)}; {@code what} names it in errors.
   */
  void update(String what, String collection, UpdateRequest update) {
    byte[] body = javabin(update);
    attempt(what, retry, (node, client) -> post(URI.create(location.baseUrls().get(node) + "/" + collection + "/update?wt=json"), body));
  }

  private static byte[] javabin(UpdateRequest update) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      new JavaBinUpdateRequestCodec().marshal(update, out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode an update request", e); // in memory: not an I/O failure
    }
    return out.toByteArray();
  }

  private Void post(URI uri, byte[] body) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
        .header("Content-Type", "application/javabin")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller gave up on this try
      throw new InterruptedIOException("update to " + uri + " abandoned");
    }
    if (response.statusCode() / 100 != 2) {
      throw new SolrException(SolrException.ErrorCode.getErrorCode(response.statusCode()),
          response.statusCode() + " " + errorMessage(response.body()));
    }
    return null;
  }

  /** Solr's error message from a JSON error answer, else the start of the answer. */
  private static String errorMessage(String body) {
    try {
      JsonNode msg = JSON.readTree(body).path("error").path("msg");
      if (msg.isTextual()) {
        return msg.asText();
      }
    } catch (IOException | RuntimeException e) {
      // not JSON (Jetty's or a proxy's HTML page, say): show its text
    }
    String text = body.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  /** Hard-commits {@code collection} on every shard, opening new searchers: what was acknowledged becomes visible. */
  void commit(String collection) {
    call("committing", c -> c.commit(collection, true, true));
  }

  /**
   * Every document {@code query} matches in {@code collection}, handed to {@code each} a page at a
   * time, with a cursor sorted by id (stable while documents change); {@code what} names it in errors.
   */
  void forEach(String what, String collection, SolrQuery query, Consumer<SolrDocument> each) {
    String cursor = CursorMarkParams.CURSOR_MARK_START;
    while (true) {
      SolrQuery page = query.getCopy().setRows(1000).setSort("id", SolrQuery.ORDER.asc);
      page.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
      QueryResponse r = call(what, c -> c.query(collection, page));
      r.getResults().forEach(each);
      if (cursor.equals(r.getNextCursorMark())) {
        return;
      }
      cursor = r.getNextCursorMark();
    }
  }

  /** Runs {@code call}, retrying on another node after a transient failure; {@code what} names it in errors. */
  <T> T call(String what, Call<T> call) {
    return call(what, retry, call);
  }

  /** As {@link #call(String, Call)} with another retry policy. */
  <T> T call(String what, RetryPolicy retry, Call<T> call) {
    return attempt(what, retry, (node, client) -> call.on(client));
  }

  private <T> T attempt(String what, RetryPolicy retry, Attempt<T> call) {
    String last = null;
    for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
      if (attempt > 1) {
        noteRetry(what, last);
        sleep(retry.backoff(attempt));
      }
      int node = Math.floorMod(next.getAndIncrement(), clients.size());
      SolrClient client = client(node);
      Future<T> pending = callers.submit(() -> call.on(node, client));
      try {
        return pending.get(watchdog.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        pending.cancel(true);
        replace(node, client); // closing the client frees the thread stuck in it
        last = "no answer within " + watchdog.toMillis() + " ms at " + location.baseUrls().get(node);
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

  private static final int REASONS_KEPT = 100;

  private void noteRetry(String what, String reason) {
    retries.incrementAndGet();
    retryReasons.add(what + ": " + reason);
    while (retryReasons.size() > REASONS_KEPT) {
      retryReasons.poll();
    }
  }

  /** Requests tried again so far (tests report how a failure was ridden out). */
  int retries() {
    return retries.get();
  }

  /** Why the latest retries (up to {@value #REASONS_KEPT}) were needed, oldest first. */
  List<String> retryReasons() {
    return List.copyOf(retryReasons);
  }

  /** The first message along the causes (connection errors often have none), else the exception's kind. */
  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank() && !(t instanceof SolrServerException)) {
        return firstLine(t.getMessage());
      }
    }
    // No message anywhere (the JDK client reports a refused connection as a bare ConnectException
    // over a ClosedChannelException): the kinds along the causes say it.
    List<String> kinds = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String kind = t.getClass().getSimpleName();
      if (!(t instanceof SolrServerException) && (kinds.isEmpty() || !kinds.getLast().equals(kind))) {
        kinds.add(kind);
      }
    }
    return kinds.isEmpty() ? e.getClass().getSimpleName() : String.join(": ", kinds);
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
    http.shutdownNow();
    for (SolrClient c : clients) {
      closeQuietly(c);
    }
  }
}

package io.embed4j.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face Hub on loopback, speaking the URL layout and headers of the real one:
 *
 * <ul>
 *   <li>{@code GET /api/models/{org}/{name}/revision/{revision}}: {@code sha} and {@code siblings}
 *   <li>{@code HEAD|GET /{org}/{name}/resolve/{revision}/{path}}: regular files answered directly with
 *       their git blob hash as ETag; LFS files answered with a 302 to a "CDN" on a second server
 *       (another port, so another origin), carrying X-Linked-Etag (the SHA-256), X-Linked-Size and
 *       X-Repo-Commit; both with X-Repo-Commit
 *   <li>the CDN serves {@code /lfs/{sha256}?X-Amz-Signature=...} with Range support (206)
 *   <li>a renamed repository answers 307 with a relative Location to its new name
 * </ul>
 *
 * It records every request, and has switches for the failures tests need: a gated repo, a server
 * ignoring Range, corrupt LFS bytes, a transfer that stalls once.
 */
final class FakeHub implements AutoCloseable {
  record Request(String server, String method, String path, String range, String authorization) {}

  private static final Pattern API = Pattern.compile("/api/models/([^/]+/[^/]+)/revision/([^/]+)");
  private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/([^/]+)/(.+)");

  private final HttpServer hub;
  private final HttpServer cdn;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Repo> repos = new ConcurrentHashMap<>();
  private final Map<String, byte[]> lfsBlobs = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  /** Old repo id to new: requests for the old one get a relative 307 to the new one, as the Hub answers renamed repos. */
  final Map<String, String> renamed = new ConcurrentHashMap<>();

  /** Resolve requests need {@code Authorization: Bearer <token>} (the API listing stays public, as on the Hub). */
  volatile String gatedToken;
  /** The CDN answers 200 with the whole file to Range requests. */
  volatile boolean ignoreRange;
  /** The CDN flips a byte of every LFS file it serves. */
  volatile boolean corruptLfs;
  /** The CDN's next LFS response sends this many bytes, then goes silent for {@link #stallMillis}; -1 for never. */
  volatile long stallAfter = -1;
  volatile long stallMillis = 2000;
  private boolean closed;

  static final class Repo {
    final String commit;
    final Map<String, byte[]> files = new LinkedHashMap<>();
    final Set<String> lfs = ConcurrentHashMap.newKeySet();
    final Map<String, String> refs = new ConcurrentHashMap<>();
    final List<String> extraSiblings = new ArrayList<>();

    Repo(String commit) {
      this.commit = commit;
      refs.put("main", commit);
    }
  }

  FakeHub() throws IOException {
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    hub = HttpServer.create(loopback, 0);
    cdn = HttpServer.create(loopback, 0);
    hub.setExecutor(executor);
    cdn.setExecutor(executor);
    hub.createContext("/", this::handleHub);
    cdn.createContext("/", this::handleCdn);
    hub.start();
    cdn.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
  }

  /** Adds a repository whose main branch has these files; files named in {@code lfs} are served as LFS. */
  Repo addRepo(String repoId, Map<String, byte[]> files, Set<String> lfs) {
    StringBuilder tree = new StringBuilder(repoId);
    files.forEach((path, bytes) -> tree.append('\n').append(path).append(' ').append(sha256(bytes)));
    Repo repo = new Repo(hex(digest("SHA-1", tree.toString().getBytes(StandardCharsets.UTF_8))));
    repo.files.putAll(files);
    repo.lfs.addAll(lfs);
    for (String f : lfs) {
      lfsBlobs.put(sha256(files.get(f)), files.get(f));
    }
    repos.put(repoId, repo);
    return repo;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  long count(Predicate<Request> p) {
    return requests.stream().filter(p).count();
  }

  void clearRequests() {
    requests.clear();
  }

  private void record(String server, HttpExchange ex) {
    requests.add(new Request(server, ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
        ex.getRequestHeaders().getFirst("Range"), ex.getRequestHeaders().getFirst("Authorization")));
  }

  private void handleHub(HttpExchange ex) throws IOException {
    try (ex) {
      record("hub", ex);
      String path = ex.getRequestURI().getRawPath();
      Matcher api = API.matcher(path);
      Matcher resolve = RESOLVE.matcher(path);
      String repoId = api.matches() ? api.group(1) : resolve.matches() ? resolve.group(1) : null;
      if (repoId != null && renamed.containsKey(repoId)) {
        ex.getResponseHeaders().set("Location", path.replace("/" + repoId + "/", "/" + renamed.get(repoId) + "/"));
        ex.sendResponseHeaders(307, -1);
        return;
      }
      if (api.matches()) {
        Repo repo = repos.get(api.group(1));
        if (repo == null) {
          error(ex, 404, "RepoNotFound");
          return;
        }
        String commit = commitOf(repo, URLDecoder.decode(api.group(2), StandardCharsets.UTF_8));
        if (commit == null) {
          error(ex, 404, "RevisionNotFound");
          return;
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode body = json.createObjectNode().put("id", api.group(1)).put("sha", commit);
        ArrayNode siblings = body.putArray("siblings");
        repo.files.keySet().forEach(f -> siblings.addObject().put("rfilename", f));
        repo.extraSiblings.forEach(f -> siblings.addObject().put("rfilename", f));
        send(ex, 200, json.writeValueAsBytes(body));
      } else if (resolve.matches()) {
        Repo repo = repos.get(resolve.group(1));
        String commit = repo == null ? null : commitOf(repo, URLDecoder.decode(resolve.group(2), StandardCharsets.UTF_8));
        String file = URLDecoder.decode(resolve.group(3), StandardCharsets.UTF_8);
        if (commit == null) {
          error(ex, 404, "RepoNotFound");
          return;
        }
        if (gatedToken != null && !("Bearer " + gatedToken).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
          error(ex, 401, "GatedRepo");
          return;
        }
        byte[] bytes = repo.files.get(file);
        if (bytes == null) {
          error(ex, 404, "EntryNotFound");
          return;
        }
        ex.getResponseHeaders().set("X-Repo-Commit", commit);
        if (repo.lfs.contains(file)) {
          String sha = sha256(bytes);
          ex.getResponseHeaders().set("X-Linked-Etag", "\"" + sha + "\"");
          ex.getResponseHeaders().set("X-Linked-Size", Long.toString(bytes.length));
          ex.getResponseHeaders().set("ETag", "W/\"pointer-file-etag\"");
          ex.getResponseHeaders().set("Location", "http://127.0.0.1:" + cdn.getAddress().getPort() + "/lfs/" + sha + "?X-Amz-Signature=secret");
          ex.sendResponseHeaders(302, -1);
        } else {
          ex.getResponseHeaders().set("ETag", "\"" + gitBlobSha1(bytes) + "\"");
          sendRange(ex, bytes, false);
        }
      } else {
        error(ex, 404, null);
      }
    }
  }

  private void handleCdn(HttpExchange ex) throws IOException {
    try (ex) {
      record("cdn", ex);
      String path = ex.getRequestURI().getRawPath();
      byte[] bytes = path.startsWith("/lfs/") ? lfsBlobs.get(path.substring(5)) : null;
      if (bytes == null || !"X-Amz-Signature=secret".equals(ex.getRequestURI().getRawQuery())) {
        error(ex, 403, null);
        return;
      }
      if (corruptLfs) {
        bytes = bytes.clone();
        bytes[bytes.length / 2] ^= 1;
      }
      ex.getResponseHeaders().set("ETag", "\"cdn-" + path.substring(5, 13) + "\"");
      sendRange(ex, bytes, true);
    }
  }

  private String commitOf(Repo repo, String revision) {
    return revision.equals(repo.commit) ? repo.commit : repo.refs.get(revision);
  }

  private void sendRange(HttpExchange ex, byte[] bytes, boolean mayStall) throws IOException {
    ex.getResponseHeaders().set("Accept-Ranges", "bytes");
    String range = ex.getRequestHeaders().getFirst("Range");
    int start = 0;
    if (range != null && !ignoreRange) {
      Matcher m = Pattern.compile("bytes=(\\d+)-").matcher(range);
      if (!m.matches()) {
        error(ex, 400, null);
        return;
      }
      start = Integer.parseInt(m.group(1));
      if (start >= bytes.length) {
        ex.getResponseHeaders().set("Content-Range", "bytes */" + bytes.length);
        ex.sendResponseHeaders(416, -1);
        return;
      }
      ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (bytes.length - 1) + "/" + bytes.length);
    }
    int status = range != null && !ignoreRange ? 206 : 200;
    long stall = mayStall ? stallAfter : -1;
    if (stall >= 0) {
      stallAfter = -1;
    }
    byte[] body = Arrays.copyOfRange(bytes, start, bytes.length);
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length);
    OutputStream out = ex.getResponseBody();
    if (stall >= 0 && stall < body.length) {
      out.write(body, 0, (int) stall);
      out.flush();
      try {
        Thread.sleep(stallMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return; // the exchange closes short: the client sees a truncated body, if it is still listening
    }
    out.write(body);
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  private static void error(HttpExchange ex, int status, String code) throws IOException {
    if (code != null) {
      ex.getResponseHeaders().set("X-Error-Code", code);
    }
    send(ex, status, ("{\"error\":\"" + code + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(byte[] bytes) {
    return hex(digest("SHA-256", bytes));
  }

  /** The hash git (and so the Hub's ETag) gives a regular file: SHA-1 of "blob {size}\0" + contents. */
  static String gitBlobSha1(byte[] bytes) {
    byte[] header = ("blob " + bytes.length + "\0").getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[header.length + bytes.length];
    System.arraycopy(header, 0, all, 0, header.length);
    System.arraycopy(bytes, 0, all, header.length, bytes.length);
    return hex(digest("SHA-1", all));
  }

  private static byte[] digest(String algorithm, byte[] bytes) {
    try {
      return MessageDigest.getInstance(algorithm).digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** Stops both servers: afterwards every connection is refused. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    hub.stop(0);
    cdn.stop(0);
    executor.shutdownNow();
  }
}

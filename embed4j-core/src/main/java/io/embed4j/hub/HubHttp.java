package io.embed4j.hub;

import io.embed4j.Embed4jException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP side of {@link HubClient}: one {@link HttpClient} per snapshot call, requests with the
 * token attached only for the endpoint's own host, redirects followed by hand, and every HTTP status
 * or network failure turned into one user-facing {@link Embed4jException} in one place.
 */
final class HubHttp implements AutoCloseable {
  private static final int MAX_REDIRECTS = 10;
  private static final String USER_AGENT = "embed4j/"
      + Objects.requireNonNullElse(HubHttp.class.getPackage().getImplementationVersion(), "dev") + "; java/" + Runtime.version().feature();

  private final HubOptions options;
  private final HttpClient client;

  HubHttp(HubOptions options) {
    this.options = options;
    this.client = HttpClient.newBuilder()
        .connectTimeout(options.timeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** What a HEAD on a resolve URL says about one file; size is -1 when not announced. */
  record FileMetadata(String etag, String commit, long size) {}

  /** A response whose body is still to be read (or closed). */
  record Response(int status, HttpHeaders headers, InputStream body, URI uri) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  URI endpoint() {
    return options.endpoint();
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(options.timeout()).header("User-Agent", USER_AGENT);
    // The token is for the Hub only: never sent to the CDN or any other host a redirect leads to.
    if (options.token() != null && sameOrigin(uri, options.endpoint())) {
      b.header("Authorization", "Bearer " + options.token());
    }
    return b;
  }

  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
    try {
      return client.send(request, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Embed4jException.DownloadFailed("interrupted while talking to " + redact(request.uri()), e);
    }
  }

  /** GET of a small body, e.g. the API's JSON, following redirects (a renamed repository); any status but 200 is an error. */
  byte[] getSmall(URI uri, Target target) throws IOException {
    try (Response r = get(uri, Map.of("Accept", "application/json"))) {
      if (r.status() != 200) {
        throw statusError(r.status(), r.headers(), target);
      }
      return r.body().readAllBytes();
    }
  }

  /**
   * HEAD on a resolve URL, as huggingface_hub does it: relative redirects (a renamed repository) are
   * followed; an absolute one (to the CDN holding an LFS file) ends the walk, and the Hub's
   * X-Linked-Etag and X-Linked-Size on that redirect describe the file.
   */
  FileMetadata head(URI uri, Target target) throws IOException {
    URI current = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpResponse<Void> r = send(request(current).header("Accept-Encoding", "identity").HEAD().build(), HttpResponse.BodyHandlers.discarding());
      int status = r.statusCode();
      HttpHeaders h = r.headers();
      if (isRedirect(status)) {
        String loc = h.firstValue("Location").orElse("");
        URI next = redirect(current, status, loc);
        if (URI.create(loc).getHost() == null) {
          current = next;
          continue;
        }
      } else if (status < 200 || status >= 300) {
        throw statusError(status, h, target);
      }
      String etag = HubNames.normalizeEtag(h.firstValue("X-Linked-Etag").or(() -> h.firstValue("ETag")).orElse(null));
      String commit = h.firstValue("X-Repo-Commit").orElse(null);
      Optional<String> size = h.firstValue("X-Linked-Size");
      if (size.isEmpty() && !isRedirect(status)) {
        size = h.firstValue("Content-Length");
      }
      return new FileMetadata(etag, commit, parseSize(size.orElse(null)));
    }
    throw new IOException("more than " + MAX_REDIRECTS + " redirects from " + redact(uri));
  }

  /**
   * GET following redirects by hand (the Hub sends LFS files to a CDN on another host); the
   * Authorization header goes only to the endpoint's own host. Returns the first non-redirect
   * response with its body unread.
   */
  Response get(URI uri, Map<String, String> headers) throws IOException {
    URI current = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder b = request(current).GET();
      headers.forEach(b::header);
      HttpResponse<InputStream> r = send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      int status = r.statusCode();
      if (!isRedirect(status)) {
        return new Response(status, r.headers(), r.body(), current);
      }
      r.body().close();
      current = redirect(current, status, r.headers().firstValue("Location").orElse(""));
    }
    throw new IOException("more than " + MAX_REDIRECTS + " redirects from " + redact(uri));
  }

  private static URI redirect(URI from, int status, String location) throws IOException {
    try {
      URI next = from.resolve(location);
      if (location.isEmpty() || !("http".equals(next.getScheme()) || "https".equals(next.getScheme())) || next.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
      if ("https".equals(from.getScheme()) && !"https".equals(next.getScheme())) {
        throw new IllegalArgumentException("a redirect from https to plain http is not followed");
      }
      return next;
    } catch (IllegalArgumentException e) {
      throw new IOException("HTTP " + status + " from " + redact(from) + " redirects to a bad Location '" + location + "': " + e.getMessage(), e);
    }
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  static long parseSize(String value) {
    if (value == null) {
      return -1;
    }
    try {
      long n = Long.parseLong(value.strip());
      return n >= 0 ? n : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** What a request was for, so its error can say so. File is null for repository-level requests. */
  record Target(String repoId, String revision, String file) {
    String repo() {
      return repoId + "@" + revision;
    }
  }

  /** The error for a non-success HTTP status; retryable statuses (5xx) are the caller's to retry. */
  Embed4jException statusError(int status, HttpHeaders headers, Target t) {
    String code = headers.firstValue("X-Error-Code").orElse("");
    String serverSays = headers.firstValue("X-Error-Message").map(m -> " (server: " + m + ")").orElse("");
    String page = options.endpoint() + "/" + t.repoId();
    if (status == 404 || code.equals("RepoNotFound") || code.equals("RevisionNotFound")) {
      if (code.equals("EntryNotFound") && t.file() != null) {
        return new Embed4jException.ModelNotFound("file " + t.file() + " not found in " + t.repo() + " on " + options.endpoint()
            + " (HTTP " + status + ")" + serverSays);
      }
      String hint = status == 401 && options.token() == null
          ? "; if it is private or gated, set HF_TOKEN to a token with read access"
          : "; check the repo id (org/name) and the revision (branch, tag or commit)";
      return new Embed4jException.ModelNotFound("repository or revision not found: " + t.repo() + " on " + options.endpoint()
          + " (HTTP " + status + ")" + hint + serverSays);
    }
    if (status == 401 || status == 403) {
      String why = options.token() == null
          ? ": the repository may be gated or private. Accept its terms at " + page + " and set HF_TOKEN to a read token"
              + " (https://huggingface.co/settings/tokens)"
          : " with the token in HF_TOKEN: the repository may be gated (accept its terms at " + page
              + ") or the token may lack read access to it";
      return new Embed4jException.ModelNotFound("access to " + t.repo() + " was refused (HTTP " + status + ")" + why + serverSays);
    }
    if (status == 429) {
      return new Embed4jException.DownloadFailed("the Hub at " + options.endpoint() + " is rate-limiting requests (HTTP 429);"
          + " wait a minute and try again" + (options.token() == null ? ", or set HF_TOKEN (logged-in users get a higher limit)" : "") + serverSays);
    }
    String what = t.file() == null ? "listing the files of " + t.repo() : "downloading " + t.file() + " of " + t.repo();
    return new Embed4jException.DownloadFailed(what + " failed: HTTP " + status + " from " + options.endpoint()
        + (status >= 500 ? "; the Hub may be down, try again later" : "") + serverSays);
  }

  /** The error for a failed connection or transfer, with what to try. */
  Embed4jException networkError(IOException e, String what) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String reason = e instanceof HttpTimeoutException ? "no answer within " + options.timeout().toMillis() / 1000.0 + " s"
        : root instanceof UnresolvedAddressException ? "cannot resolve " + options.endpoint().getHost()
        : e instanceof ConnectException ? "cannot connect" + (root.getMessage() != null ? " (" + root.getMessage() + ")" : "")
        : e.toString();
    return new Embed4jException.DownloadFailed(what + " failed: " + reason + " at " + options.endpoint() + ";"
        + " check the network and HF_ENDPOINT, or set HF_HUB_OFFLINE=1 to use only cached models", e);
  }

  /** A URL fit for a message: no query string (CDN URLs carry signatures there). */
  static String redact(URI uri) {
    return uri.getScheme() + "://" + uri.getAuthority() + uri.getRawPath();
  }

  @Override
  public void close() {
    client.shutdownNow();
  }
}

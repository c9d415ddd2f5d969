package io.embed4j.hub;

import io.embed4j.Embed4jException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the files of one commit of one repository into the cache: a file already in the snapshot is
 * left alone; otherwise a HEAD names its blob (by ETag), a blob already cached is linked, and a
 * missing one is downloaded to {@code blobs/{etag}.incomplete} — resumed with a Range request when a
 * partial file is there, checked against the announced size and, for LFS files, the SHA-256 — then
 * renamed into place.
 */
final class FileFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(FileFetcher.class);
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
  private static final int BUFFER = 1 << 16;

  private final HubHttp http;
  private final HubCache cache;
  private final HubOptions options;
  private final String repoId;
  private final String revision;
  private final String commit;

  FileFetcher(HubHttp http, HubCache cache, HubOptions options, String repoId, String revision, String commit) {
    this.http = http;
    this.cache = cache;
    this.options = options;
    this.repoId = repoId;
    this.revision = revision;
    this.commit = commit;
  }

  /** The file's path in the snapshot, downloading it first unless it is already there. */
  Path fetch(String path) throws IOException {
    Path target = cache.snapshotFile(commit, path);
    if (Files.exists(target)) {
      return target;
    }
    HubHttp.Target what = new HubHttp.Target(repoId, revision, path);
    URI resolve = URI.create(http.endpoint() + "/" + repoId + "/resolve/" + commit + "/" + HubNames.encodePath(path));
    HubHttp.FileMetadata meta;
    try {
      meta = http.head(resolve, what);
    } catch (IOException e) {
      throw http.networkError(e, "asking for " + path + " of " + what.repo());
    }
    String etag = HubNames.checkEtag(meta.etag(), path);
    if (meta.commit() != null && !meta.commit().equals(commit)) {
      throw new Embed4jException.DownloadFailed("the server answered " + path + " from commit " + meta.commit() + " of " + repoId
          + " although commit " + commit + " was asked for; try again");
    }
    Path blob = cache.blob(etag);
    cache.withLock(etag, () -> {
      if (!Files.exists(blob)) {
        download(resolve, path, etag, meta, blob);
      }
      return null;
    });
    cache.link(blob, target);
    return target;
  }

  private void download(URI resolve, String path, String etag, HubHttp.FileMetadata meta, Path blob) throws IOException {
    Path part = cache.incomplete(etag);
    Files.createDirectories(part.getParent());
    IOException last = null;
    for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
      try {
        boolean resumed = transfer(resolve, path, meta, part);
        verify(path, etag, meta.size(), part, resumed);
        Files.move(part, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return;
      } catch (IOException e) {
        last = e;
        if (attempt < options.maxAttempts()) {
          LOG.info("download of {} interrupted ({}); retrying, attempt {} of {}", path, e.toString(), attempt + 1, options.maxAttempts());
          pause(attempt);
        }
      }
    }
    long have = Files.exists(part) ? Files.size(part) : 0;
    throw new Embed4jException.DownloadFailed("downloading " + path + " of " + repoId + "@" + revision + " failed after "
        + options.maxAttempts() + " attempts: " + last.getMessage() + (have > 0 ? "; run again to resume from byte " + have : "")
        + "; check the network or HF_ENDPOINT, or raise HF_HUB_DOWNLOAD_TIMEOUT", last);
  }

  /**
   * Fills {@code part} with the file's bytes, resuming from its length; IOException means retry.
   * Returns whether bytes from an earlier attempt were kept. Each attempt starts at the resolve URL,
   * so a retry gets a freshly signed CDN URL.
   */
  private boolean transfer(URI resolve, String path, HubHttp.FileMetadata meta, Path part) throws IOException {
    long expected = meta.size();
    long have = Files.exists(part) ? Files.size(part) : 0;
    if (expected >= 0 && have > expected) {
      Files.delete(part); // longer than the file: not a prefix of it
      have = 0;
    }
    if (expected >= 0 && have == expected && have > 0) {
      return true; // complete already; verify() decides whether it is right
    }
    Map<String, String> headers = have > 0 ? Map.of("Range", "bytes=" + have + "-") : Map.of();
    try (HubHttp.Response r = http.get(resolve, headers)) {
      switch (r.status()) {
        case 200 -> {
          if (have > 0) {
            LOG.debug("{} ignored the Range request for {}; downloading it whole", HubHttp.redact(r.uri()), path);
          }
          have = 0;
        }
        case 206 -> {
          long start = contentRangeStart(r.headers().firstValue("Content-Range").orElse(""));
          if (start != have) {
            Files.deleteIfExists(part);
            throw new IOException("asked to resume at byte " + have + " but the server sent bytes from " + start);
          }
        }
        case 416 -> {
          Files.deleteIfExists(part);
          throw new IOException("the server cannot resume at byte " + have + " (HTTP 416); starting over");
        }
        default -> {
          // A CDN refusing a signed URL, or any server error, is worth another try from the Hub.
          if (r.status() >= 500 || !HubHttp.sameOrigin(r.uri(), http.endpoint())) {
            throw new IOException("HTTP " + r.status() + " from " + HubHttp.redact(r.uri()));
          }
          throw http.statusError(r.status(), r.headers(), new HubHttp.Target(repoId, revision, path));
        }
      }
      if (expected < 0) {
        expected = r.status() == 206 ? contentRangeTotal(r.headers().firstValue("Content-Range").orElse("")) : -1;
        if (expected < 0) {
          long length = HubHttp.parseSize(r.headers().firstValue("Content-Length").orElse(null));
          expected = length < 0 ? -1 : have + length;
        }
      }
      copy(r.body(), part, have, expected, path);
      return have > 0;
    }
  }

  private void copy(InputStream body, Path part, long have, long expected, String path) throws IOException {
    StandardOpenOption mode = have > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
    long written = have;
    boolean tooLong = false;
    try (OutputStream out = open(part, mode);
        StallWatch watch = new StallWatch(body, options.readTimeout());
        DownloadProgress progress = new DownloadProgress(System.err, path, expected, have, options.progress())) {
      byte[] buf = new byte[BUFFER];
      for (int n; (n = read(body, buf, watch, written)) >= 0; ) {
        if (expected >= 0 && written + n > expected) {
          tooLong = true;
          break;
        }
        write(out, buf, n, part);
        written += n;
        progress.advance(n);
      }
    }
    if (tooLong) {
      Files.deleteIfExists(part);
      throw new Embed4jException.DownloadFailed("the server sent more than the announced " + expected + " bytes of " + path
          + " of " + repoId + "; try again");
    }
    if (expected >= 0 && written < expected) {
      throw new IOException("connection closed after " + written + " of " + expected + " bytes");
    }
  }

  // Network failures are IOExceptions (retried); cache failures are not worth retrying, so they end the download.
  private int read(InputStream body, byte[] buf, StallWatch watch, long written) throws IOException {
    try {
      int n = body.read(buf);
      watch.tick();
      return n;
    } catch (IOException e) {
      if (watch.stalled()) {
        throw new IOException("no data for " + options.readTimeout().toMillis() / 1000.0 + " s after byte " + written, e);
      }
      throw e;
    }
  }

  private static OutputStream open(Path part, StandardOpenOption mode) {
    try {
      return Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
    } catch (IOException e) {
      throw cacheError(part, e);
    }
  }

  private static void write(OutputStream out, byte[] buf, int n, Path part) {
    try {
      out.write(buf, 0, n);
    } catch (IOException e) {
      throw cacheError(part, e);
    }
  }

  private static Embed4jException cacheError(Path file, IOException e) {
    return new Embed4jException.DownloadFailed("cannot write " + file + ": " + e + "; check free space and permissions, or set HF_HUB_CACHE", e);
  }

  /**
   * Checks a finished download: its size against the announced one and, when the ETag is a SHA-256
   * (LFS files), its hash. A resumed file that fails is discarded and retried whole; a fresh one that
   * fails is an error (the server sent wrong bytes), and nothing is left in the cache.
   */
  private void verify(String path, String etag, long expected, Path part, boolean resumed) throws IOException {
    long size = Files.size(part);
    if (expected >= 0 && size != expected) {
      throw new IOException("got " + size + " of " + expected + " bytes");
    }
    if (!HubNames.isSha256(etag)) {
      return;
    }
    String actual = sha256(part);
    if (!actual.equals(etag)) {
      Files.deleteIfExists(part);
      if (resumed) {
        throw new IOException("the resumed download does not match its SHA-256; starting over");
      }
      throw new Embed4jException.DownloadFailed("downloaded " + path + " of " + repoId + "@" + revision + " is corrupt: its SHA-256 is "
          + actual + " but the Hub announced " + etag + "; the file was discarded, try again");
    }
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long contentRangeStart(String header) {
    Matcher m = CONTENT_RANGE.matcher(header.strip());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  private static long contentRangeTotal(String header) {
    Matcher m = CONTENT_RANGE.matcher(header.strip());
    return m.matches() && !m.group(3).equals("*") ? Long.parseLong(m.group(3)) : -1;
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(Math.min(2000, 250L * attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Embed4jException.DownloadFailed("interrupted while downloading");
    }
  }

  /**
   * Closes a response body that has been silent longer than the read timeout, which makes the
   * blocked read fail; HttpClient's own timeout covers only the wait for the headers.
   */
  private static final class StallWatch implements AutoCloseable {
    private final InputStream body;
    private final long limitNanos;
    private final Thread thread;
    private volatile long lastTick = System.nanoTime();
    private volatile boolean stalled;
    private volatile boolean done;

    StallWatch(InputStream body, Duration limit) {
      this.body = body;
      this.limitNanos = limit.toNanos();
      long checkMillis = Math.max(20, limit.toMillis() / 4);
      this.thread = Thread.ofVirtual().name("embed4j-hub-watch").start(() -> {
        try {
          while (!done) {
            Thread.sleep(checkMillis);
            if (!done && System.nanoTime() - lastTick > limitNanos) {
              stalled = true;
              body.close();
              return;
            }
          }
        } catch (InterruptedException | IOException e) {
          // finished, or the body is already closed
        }
      });
    }

    void tick() {
      lastTick = System.nanoTime();
    }

    boolean stalled() {
      return stalled;
    }

    @Override
    public void close() {
      done = true;
      thread.interrupt();
    }
  }
}

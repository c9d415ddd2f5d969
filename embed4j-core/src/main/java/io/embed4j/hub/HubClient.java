package io.embed4j.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.Embed4jException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads the files of a sentence-transformers model from the Hugging Face Hub into the Hub's own
 * cache layout (see {@link HubCache}), so Python's huggingface_hub and embed4j share one cache.
 *
 * <p>{@link #snapshot} asks the Hub which commit the revision is and which files it has
 * ({@code GET /api/models/{repo}/revision/{revision}}), fetches only what an ONNX sentence-transformers
 * model needs ({@link SnapshotFiles}) from {@code /{repo}/resolve/{commit}/{path}}, and returns the
 * snapshot directory. Files already in the snapshot are not fetched again. Offline ({@code
 * HF_HUB_OFFLINE=1}) nothing touches the network: the revision is resolved through {@code refs/}.
 *
 * <pre>{@code
 * Path dir = HubClient.fromEnvironment().snapshot("BAAI/bge-small-en-v1.5", "main");
 * }</pre>
 *
 * An instance holds only its options, so it is safe to share between threads; concurrent downloads
 * of the same file (also from other processes) wait for each other through a lock file.
 */
public final class HubClient {
  private static final Logger LOG = LoggerFactory.getLogger(HubClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HubOptions options;

  public HubClient(HubOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /** A client configured by HF_ENDPOINT, HF_HUB_CACHE, HF_TOKEN, HF_HUB_OFFLINE and friends ({@link HubOptions#fromEnvironment()}). */
  public static HubClient fromEnvironment() {
    return new HubClient(HubOptions.fromEnvironment());
  }

  public HubOptions options() {
    return options;
  }

  /** {@link #snapshot(String, String)} of the {@code main} branch. */
  public Path snapshot(String repoId) {
    return snapshot(repoId, "main");
  }

  /**
   * The local snapshot directory of {@code repoId} at {@code revision} (a branch, tag or commit hash),
   * holding the model's files in sentence-transformers layout; downloads what is missing.
   *
   * @throws Embed4jException.ModelNotFound no such repository or revision, access refused (gated or
   *     private), or offline and not cached
   * @throws Embed4jException.InvalidModel the repository has no ONNX export or no tokenizer.json, or
   *     lists an unsafe file name
   * @throws Embed4jException.DownloadFailed the network or the server failed, or bytes were corrupt
   * @throws Embed4jException.InvalidInput a malformed repo id or revision
   */
  public Path snapshot(String repoId, String revision) {
    HubNames.checkRepoId(repoId);
    HubNames.checkRevision(revision);
    HubCache cache = new HubCache(options.cacheDir(), repoId);
    if (options.offline()) {
      return cache.cachedSnapshot(revision).orElseThrow(() -> new Embed4jException.ModelNotFound(repoId + "@" + revision
          + " is not in the Hub cache " + options.cacheDir() + " and offline mode (HF_HUB_OFFLINE) forbids downloading it;"
          + " run once with network access, or point HF_HUB_CACHE at a cache that holds it"));
    }
    HubHttp.Target target = new HubHttp.Target(repoId, revision, null);
    try (HubHttp http = new HubHttp(options)) {
      Listing listing;
      try {
        listing = list(http, target);
      } catch (IOException e) {
        Optional<Path> cached = cache.cachedSnapshot(revision);
        if (cached.isPresent()) {
          LOG.warn("cannot reach {} ({}); using the cached snapshot of {}@{}", options.endpoint(), e.toString(), repoId, revision);
          return cached.get();
        }
        throw http.networkError(e, "listing the files of " + target.repo());
      }
      FileFetcher fetcher = new FileFetcher(http, cache, options, repoId, revision, listing.commit());
      JsonNode modules = null;
      if (listing.files().contains(SnapshotFiles.MODULES)) {
        modules = readModules(fetcher.fetch(SnapshotFiles.MODULES));
      }
      for (String file : SnapshotFiles.select(repoId, revision, listing.files(), modules)) {
        fetcher.fetch(file);
      }
      if (!revision.equals(listing.commit())) {
        cache.writeRef(revision, listing.commit());
      }
      return cache.snapshotDir(listing.commit());
    } catch (IOException e) {
      throw new Embed4jException.DownloadFailed("cannot write " + repoId + " into the Hub cache " + cache.repoDir() + ": " + e
          + "; check free space and permissions, or set HF_HUB_CACHE", e);
    }
  }

  /** A revision's commit and the files it has. */
  record Listing(String commit, List<String> files) {}

  private Listing list(HubHttp http, HubHttp.Target target) throws IOException {
    URI uri = URI.create(options.endpoint() + "/api/models/" + target.repoId() + "/revision/" + HubNames.encodeSegment(target.revision()));
    byte[] body = http.getSmall(uri, target);
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      throw new Embed4jException.DownloadFailed("the file list of " + target.repo() + " from " + options.endpoint()
          + " is not JSON; is HF_ENDPOINT a Hugging Face Hub?", e);
    }
    String source = "the Hub's file list of " + target.repo();
    String commit = HubNames.checkCommit(json.path("sha").asText(null), source);
    if (HubNames.isCommitHash(target.revision()) && !commit.equals(target.revision())) {
      throw new Embed4jException.DownloadFailed(source + " names commit " + commit + " instead of the one asked for");
    }
    List<String> files = new ArrayList<>();
    for (JsonNode sibling : json.path("siblings")) {
      files.add(HubNames.checkRelativePath(sibling.path("rfilename").asText(null), source));
    }
    return new Listing(commit, List.copyOf(files));
  }

  // A modules.json that does not parse is reported by SentenceTransformersConfig, with its path.
  private static JsonNode readModules(Path file) {
    try {
      return JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "HubClient[" + options + "]";
  }
}

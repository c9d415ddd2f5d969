package io.embed4j.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.Embed4jException;
import io.embed4j.EmbeddingModel;
import io.embed4j.model.ModelCatalog;
import io.embed4j.model.ModelFiles;
import io.embed4j.model.ModelResolver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link HubClient} against {@link FakeHub}, a Hub on loopback with the real URL layout and headers. */
class HubClientTest {
  private static final String REPO = "acme/mini-embedder";
  private static final String REPO_FOLDER = "models--acme--mini-embedder";
  private static final String ONNX = "onnx/model.onnx";
  /** The configuration files of sentence-transformers/all-MiniLM-L6-v2, from src/test/resources. */
  private static final List<String> FIXTURE_FILES = List.of("modules.json", "config.json", "config_sentence_transformers.json",
      "sentence_bert_config.json", "special_tokens_map.json", "tokenizer_config.json", "1_Pooling/config.json");

  @TempDir Path tmp;
  private FakeHub hub;
  private Path cache;

  @BeforeEach
  void startHub() throws IOException {
    hub = new FakeHub();
    cache = tmp.resolve("hf-cache");
  }

  @AfterEach
  void stopHub() {
    hub.close();
  }

  private HubOptions options() {
    return HubOptions.of(hub.endpoint(), cache).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  private HubClient client() {
    return new HubClient(options());
  }

  private static Map<String, byte[]> fixtureFiles() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String f : FIXTURE_FILES) {
      try (InputStream in = HubClientTest.class.getResourceAsStream("/hub/all-MiniLM-L6-v2/" + f)) {
        files.put(f, in.readAllBytes());
      }
    }
    return files;
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /**
   * A repository in sentence-transformers layout with stand-in weights (random bytes, never loaded),
   * plus files embed4j must not fetch: PyTorch and safetensors weights, another ONNX variant, a README.
   */
  private FakeHub.Repo smallRepo() throws IOException {
    Map<String, byte[]> files = fixtureFiles();
    files.put("tokenizer.json", "{\"version\":\"1.0\"}".getBytes(StandardCharsets.UTF_8));
    files.put(ONNX, randomBytes(300_000, 7));
    files.put("onnx/model_quantized.onnx", randomBytes(1000, 8));
    files.put("pytorch_model.bin", randomBytes(1000, 9));
    files.put("model.safetensors", randomBytes(1000, 10));
    files.put("README.md", "# mini".getBytes(StandardCharsets.UTF_8));
    return hub.addRepo(REPO, files, Set.of(ONNX, "onnx/model_quantized.onnx", "pytorch_model.bin", "model.safetensors"));
  }

  private static Set<String> filesUnder(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !Files.isDirectory(p)).map(p -> dir.relativize(p).toString()).collect(TreeSet::new, TreeSet::add, TreeSet::addAll);
    }
  }

  private long cdnGets() {
    return hub.count(r -> r.server().equals("cdn") && r.method().equals("GET"));
  }

  @Test
  void downloadsOnlyTheModelFilesIntoTheHubCacheLayout() throws IOException {
    FakeHub.Repo repo = smallRepo();
    Path dir = client().snapshot(REPO, "main");

    Path repoDir = cache.resolve(REPO_FOLDER);
    assertEquals(repoDir.resolve("snapshots").resolve(repo.commit), dir);
    assertEquals(repo.commit, Files.readString(repoDir.resolve("refs/main")));
    Set<String> expected = new TreeSet<>(FIXTURE_FILES);
    expected.addAll(List.of("tokenizer.json", ONNX));
    assertEquals(expected, filesUnder(dir));
    assertEquals(0, hub.count(r -> r.path().contains("pytorch_model") || r.path().contains("quantized")
        || r.path().contains("safetensors") || r.path().contains("README")));

    // Relative symlinks into blobs/, named by ETag: the SHA-256 for LFS files, the git blob hash otherwise.
    String onnxSha = FakeHub.sha256(repo.files.get(ONNX));
    assertEquals(Path.of("../../../blobs/" + onnxSha), Files.readSymbolicLink(dir.resolve(ONNX)));
    assertEquals(Path.of("../../blobs/" + FakeHub.gitBlobSha1(repo.files.get("config.json"))), Files.readSymbolicLink(dir.resolve("config.json")));
    assertEquals(Path.of("../../../blobs/" + FakeHub.gitBlobSha1(repo.files.get("1_Pooling/config.json"))),
        Files.readSymbolicLink(dir.resolve("1_Pooling/config.json")));
    assertArrayEquals(repo.files.get(ONNX), Files.readAllBytes(repoDir.resolve("blobs").resolve(onnxSha)));
    assertEquals(expected.size(), filesUnder(repoDir.resolve("blobs")).size(), "one blob per file, no .incomplete left");
  }

  @Test
  void lfsFilesFollowTheRedirectToAnotherHostWithoutTheToken() throws IOException {
    smallRepo();
    new HubClient(options().withToken("hf_secret")).snapshot(REPO, "main");
    assertEquals(1, cdnGets());
    assertTrue(hub.requests().stream().filter(r -> r.server().equals("cdn")).allMatch(r -> r.authorization() == null),
        "the token must not leave the Hub's host: " + hub.requests());
    assertTrue(hub.requests().stream().filter(r -> r.server().equals("hub")).allMatch(r -> "Bearer hf_secret".equals(r.authorization())));
  }

  @Test
  void hubModelLoadsAndEncodesExactlyLikeTheCatalogModel() throws IOException {
    ModelFiles catalog = ModelResolver.catalogFiles(ModelCatalog.find("all-MiniLM-L6-v2").orElseThrow());
    Map<String, byte[]> files = fixtureFiles();
    files.put("tokenizer.json", Files.readAllBytes(catalog.tokenizer()));
    files.put(ONNX, Files.readAllBytes(catalog.onnxModel()));
    hub.addRepo("sentence-transformers/all-MiniLM-L6-v2", files, Set.of(ONNX));
    List<String> texts = List.of("The Hub serves this model", "and the catalog ships the same weights.");

    Map<String, String> props = new HashMap<>();
    props.put("embed4j.hf.endpoint", hub.endpoint().toString());
    props.put("embed4j.hf.cache", cache.toString());
    withSystemProperties(props, () -> {
      float[][] expected;
      try (EmbeddingModel reference = EmbeddingModel.load("all-MiniLM-L6-v2")) {
        expected = reference.encode(texts);
      }
      try (EmbeddingModel model = EmbeddingModel.load("sentence-transformers/all-MiniLM-L6-v2")) {
        assertEquals(384, model.dimensions());
        assertEquals(256, model.maxSeqLength());
        float[][] actual = model.encode(texts);
        for (int i = 0; i < texts.size(); i++) {
          assertArrayEquals(expected[i], actual[i], 1e-6f);
        }
      }

      hub.clearRequests();
      try (EmbeddingModel again = EmbeddingModel.load("sentence-transformers/all-MiniLM-L6-v2")) {
        assertEquals(384, again.dimensions());
      }
      assertEquals(List.of("GET /api/models/sentence-transformers/all-MiniLM-L6-v2/revision/main"),
          hub.requests().stream().map(r -> r.method() + " " + r.path()).toList(), "a cache hit only asks which commit main is");

      hub.close();
      System.setProperty("embed4j.hf.offline", "1");
      try (EmbeddingModel offline = EmbeddingModel.load("sentence-transformers/all-MiniLM-L6-v2")) {
        assertArrayEquals(expected[0], offline.encode(texts.get(0)), 1e-6f);
      }
    });
  }

  @Test
  void secondSnapshotOfTheSameCommitDownloadsNothing() throws IOException {
    smallRepo();
    Path first = client().snapshot(REPO, "main");
    hub.clearRequests();
    assertEquals(first, client().snapshot(REPO, "main"));
    assertEquals(1, hub.requests().size(), hub.requests().toString());
    assertTrue(hub.requests().get(0).path().startsWith("/api/models/"));
  }

  @Test
  void aNewCommitReusesTheBlobsThatDidNotChange() throws IOException {
    FakeHub.Repo v1 = smallRepo();
    client().snapshot(REPO, "main");
    Map<String, byte[]> files = new LinkedHashMap<>(v1.files);
    files.put("sentence_bert_config.json", "{\"max_seq_length\": 128, \"do_lower_case\": false}".getBytes(StandardCharsets.UTF_8));
    FakeHub.Repo v2 = hub.addRepo(REPO, files, v1.lfs);
    assertNotEquals(v1.commit, v2.commit);
    hub.clearRequests();

    Path dir = client().snapshot(REPO, "main");
    assertEquals(cache.resolve(REPO_FOLDER).resolve("snapshots").resolve(v2.commit), dir);
    assertEquals(v2.commit, Files.readString(cache.resolve(REPO_FOLDER).resolve("refs/main")));
    assertEquals(0, cdnGets(), "the unchanged ONNX blob is linked, not downloaded");
    assertEquals(List.of("/acme/mini-embedder/resolve/" + v2.commit + "/sentence_bert_config.json"),
        hub.requests().stream().filter(r -> r.server().equals("hub") && r.method().equals("GET") && r.path().contains("/resolve/"))
            .map(FakeHub.Request::path).toList());
    assertTrue(Files.readString(dir.resolve("sentence_bert_config.json")).contains("128"));
  }

  @Test
  void renamedRepoIsFollowedThroughRelativeRedirects() throws IOException {
    FakeHub.Repo repo = smallRepo();
    hub.renamed.put("acme/old-name", REPO);
    Path dir = new HubClient(options().withToken("hf_secret")).snapshot("acme/old-name", "main");
    assertEquals(cache.resolve("models--acme--old-name").resolve("snapshots").resolve(repo.commit), dir, "cached under the name asked for");
    assertArrayEquals(repo.files.get(ONNX), Files.readAllBytes(dir.resolve(ONNX)));
    assertTrue(hub.count(r -> r.path().startsWith("/acme/old-name/resolve/")) > 0);
    assertTrue(hub.requests().stream().filter(r -> r.server().equals("hub")).allMatch(r -> "Bearer hf_secret".equals(r.authorization())));
  }

  @Test
  void aCommitHashRevisionNeedsNoRef() throws IOException {
    FakeHub.Repo repo = smallRepo();
    Path dir = client().snapshot(REPO, repo.commit);
    assertEquals(cache.resolve(REPO_FOLDER).resolve("snapshots").resolve(repo.commit), dir);
    assertFalse(Files.exists(cache.resolve(REPO_FOLDER).resolve("refs")));
  }

  @Test
  void offlineModeAnswersFromTheCacheWithoutAnyRequest() throws IOException {
    FakeHub.Repo repo = smallRepo();
    Path online = client().snapshot(REPO, "main");
    hub.clearRequests();
    HubClient offline = new HubClient(options().withOffline(true));
    assertEquals(online, offline.snapshot(REPO, "main"));
    assertEquals(online, offline.snapshot(REPO, repo.commit));
    assertEquals(List.of(), hub.requests());
    hub.close();
    assertEquals(online, offline.snapshot(REPO, "main"));
  }

  @Test
  void offlineModeFailsClearlyWhenTheModelIsNotCached() throws IOException {
    smallRepo();
    HubClient offline = new HubClient(options().withOffline(true));
    var e = assertThrows(Embed4jException.ModelNotFound.class, () -> offline.snapshot(REPO, "main"));
    assertTrue(e.getMessage().contains(REPO + "@main is not in the Hub cache") && e.getMessage().contains("HF_HUB_OFFLINE"), e.getMessage());
    assertEquals(List.of(), hub.requests());
  }

  @Test
  void unreachableHubFallsBackToTheCachedSnapshot() throws IOException {
    smallRepo();
    Path online = client().snapshot(REPO, "main");
    hub.close();
    assertEquals(online, client().snapshot(REPO, "main"));
    var e = assertThrows(Embed4jException.DownloadFailed.class, () -> client().snapshot("acme/never-fetched", "main"));
    assertTrue(e.getMessage().contains("listing the files of acme/never-fetched@main failed") && e.getMessage().contains("HF_HUB_OFFLINE=1"),
        e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"../evil", "/etc/passwd", "onnx/../../evil", "..\\evil", "C:/Windows/evil", "onnx//model.onnx", "./config.json"})
  void unsafeFileNamesInTheListingAreRefused(String name) throws IOException {
    smallRepo().extraSiblings.add(name);
    var e = assertThrows(Embed4jException.InvalidModel.class, () -> client().snapshot(REPO, "main"));
    assertTrue(e.getMessage().contains("refusing file name '" + name + "'"), e.getMessage());
    assertEquals(0, hub.count(r -> r.path().contains("/resolve/")), "refused before downloading anything");
    assertFalse(Files.exists(tmp.resolve("evil")));
  }

  @Test
  void unsafeModulePathInModulesJsonIsRefused() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>(smallRepo().files);
    files.put("modules.json", """
        [{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},
         {"idx":1,"name":"1","path":"../../../escape","type":"sentence_transformers.models.Pooling"}]""".getBytes(StandardCharsets.UTF_8));
    hub.addRepo(REPO, files, Set.of(ONNX));
    var e = assertThrows(Embed4jException.InvalidModel.class, () -> client().snapshot(REPO, "main"));
    assertTrue(e.getMessage().contains("'../../../escape'") && e.getMessage().contains("modules.json"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"../evil,main", "org/../evil,main", "/etc/passwd,main", "a/b/c,main", "org--x/name,main",
      "acme/mini-embedder,../../etc", "acme/mini-embedder,/abs", "acme/mini-embedder,a\\b", "acme/mini-embedder,C:x",
      "acme/mini-embedder,refs//pr", "acme/mini-embedder,main branch"})
  void unsafeRepoIdsAndRevisionsAreRefusedBeforeAnyRequest(String repoId, String revision) throws IOException {
    smallRepo();
    var e = assertThrows(Embed4jException.InvalidInput.class, () -> client().snapshot(repoId, revision));
    assertTrue(e.getMessage().contains("'" + repoId + "'") || e.getMessage().contains("'" + revision + "'"), e.getMessage());
    assertEquals(List.of(), hub.requests());
  }

  @Test
  void partialBlobIsResumedWithARangeRequest() throws IOException {
    FakeHub.Repo repo = smallRepo();
    byte[] onnx = repo.files.get(ONNX);
    String sha = FakeHub.sha256(onnx);
    Path blobs = Files.createDirectories(cache.resolve(REPO_FOLDER).resolve("blobs"));
    Files.write(blobs.resolve(sha + ".incomplete"), java.util.Arrays.copyOf(onnx, 100_000));

    Path dir = client().snapshot(REPO, "main");
    List<FakeHub.Request> cdn = hub.requests().stream().filter(r -> r.server().equals("cdn")).toList();
    assertEquals(1, cdn.size(), cdn.toString());
    assertEquals("bytes=100000-", cdn.get(0).range());
    assertEquals(sha, FakeHub.sha256(Files.readAllBytes(dir.resolve(ONNX))));
    assertFalse(Files.exists(blobs.resolve(sha + ".incomplete")));
  }

  @Test
  void serverIgnoringRangeGetsTheFileWhole() throws IOException {
    FakeHub.Repo repo = smallRepo();
    String sha = FakeHub.sha256(repo.files.get(ONNX));
    Path blobs = Files.createDirectories(cache.resolve(REPO_FOLDER).resolve("blobs"));
    Files.write(blobs.resolve(sha + ".incomplete"), randomBytes(5000, 99));
    hub.ignoreRange = true;

    Path dir = client().snapshot(REPO, "main");
    assertEquals(1, cdnGets());
    assertEquals(sha, FakeHub.sha256(Files.readAllBytes(dir.resolve(ONNX))));
  }

  @Test
  void corruptPartialBlobIsDiscardedAndDownloadedWhole() throws IOException {
    FakeHub.Repo repo = smallRepo();
    String sha = FakeHub.sha256(repo.files.get(ONNX));
    Path blobs = Files.createDirectories(cache.resolve(REPO_FOLDER).resolve("blobs"));
    Files.write(blobs.resolve(sha + ".incomplete"), randomBytes(5000, 99)); // not a prefix of the file

    Path dir = client().snapshot(REPO, "main");
    List<String> ranges = new ArrayList<>();
    hub.requests().stream().filter(r -> r.server().equals("cdn")).forEach(r -> ranges.add(r.range()));
    assertEquals(2, ranges.size());
    assertEquals("bytes=5000-", ranges.get(0));
    assertNull(ranges.get(1));
    assertEquals(sha, FakeHub.sha256(Files.readAllBytes(dir.resolve(ONNX))));
  }

  @Test
  void corruptDownloadIsRejectedAndNotLeftInTheCache() throws IOException {
    FakeHub.Repo repo = smallRepo();
    String sha = FakeHub.sha256(repo.files.get(ONNX));
    hub.corruptLfs = true;

    var e = assertThrows(Embed4jException.DownloadFailed.class, () -> client().snapshot(REPO, "main"));
    assertTrue(e.getMessage().contains(ONNX + " of " + REPO + "@main is corrupt") && e.getMessage().contains(sha), e.getMessage());
    Path repoDir = cache.resolve(REPO_FOLDER);
    assertFalse(Files.exists(repoDir.resolve("blobs").resolve(sha)));
    assertFalse(Files.exists(repoDir.resolve("blobs").resolve(sha + ".incomplete")));
    assertFalse(Files.exists(repoDir.resolve("snapshots").resolve(repo.commit).resolve(ONNX)), "no link to a bad blob");
    assertFalse(Files.exists(repoDir.resolve("refs/main")), "an incomplete snapshot is not recorded as main");

    hub.corruptLfs = false;
    assertEquals(sha, FakeHub.sha256(Files.readAllBytes(client().snapshot(REPO, "main").resolve(ONNX))));
  }

  @Test
  void stalledTransferIsRetriedFromWhereItStopped() throws IOException {
    FakeHub.Repo repo = smallRepo();
    hub.stallAfter = 50_000;
    hub.stallMillis = 20_000;
    HubClient client = new HubClient(options().withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300)));

    long started = System.nanoTime();
    Path dir = client.snapshot(REPO, "main");
    assertTrue(System.nanoTime() - started < 10_000_000_000L, "the read timeout, not the server, ended the stalled transfer");
    List<FakeHub.Request> cdn = hub.requests().stream().filter(r -> r.server().equals("cdn")).toList();
    assertEquals(2, cdn.size(), cdn.toString());
    assertNull(cdn.get(0).range());
    assertEquals("bytes=50000-", cdn.get(1).range());
    assertArrayEquals(repo.files.get(ONNX), Files.readAllBytes(dir.resolve(ONNX)));
  }

  @Test
  void gatedRepoSaysToSetHfToken() throws IOException {
    smallRepo();
    hub.gatedToken = "hf_right";
    var e = assertThrows(Embed4jException.ModelNotFound.class, () -> client().snapshot(REPO, "main"));
    assertTrue(e.getMessage().contains("HTTP 401") && e.getMessage().contains("gated") && e.getMessage().contains("set HF_TOKEN"), e.getMessage());

    var wrong = assertThrows(Embed4jException.ModelNotFound.class, () -> new HubClient(options().withToken("hf_wrong")).snapshot(REPO, "main"));
    assertTrue(wrong.getMessage().contains("with the token in HF_TOKEN"), wrong.getMessage());
    assertFalse(wrong.getMessage().contains("hf_wrong"), "the token itself is never printed");

    Path dir = new HubClient(options().withToken("hf_right")).snapshot(REPO, "main");
    assertTrue(Files.exists(dir.resolve(ONNX)));
  }

  @Test
  void unknownRepoOrRevisionIsNotFound() throws IOException {
    smallRepo();
    var repo = assertThrows(Embed4jException.ModelNotFound.class, () -> client().snapshot("acme/missing", "main"));
    assertTrue(repo.getMessage().startsWith("repository or revision not found: acme/missing@main"), repo.getMessage());
    var revision = assertThrows(Embed4jException.ModelNotFound.class, () -> client().snapshot(REPO, "v9"));
    assertTrue(revision.getMessage().startsWith("repository or revision not found: " + REPO + "@v9"), revision.getMessage());
  }

  @Test
  void revisionWithASlashIsEncodedAndStoredAsANestedRef() throws IOException {
    FakeHub.Repo repo = smallRepo();
    repo.refs.put("refs/pr/1", repo.commit);
    client().snapshot(REPO, "refs/pr/1");
    assertEquals(1, hub.count(r -> r.path().equals("/api/models/" + REPO + "/revision/refs%2Fpr%2F1")));
    assertEquals(repo.commit, Files.readString(cache.resolve(REPO_FOLDER).resolve("refs/refs/pr/1")));
  }

  @Test
  void repoWithoutOnnxWeightsSuggestsExportingWithOptimum() throws IOException {
    Map<String, byte[]> files = fixtureFiles();
    files.put("tokenizer.json", "{}".getBytes(StandardCharsets.UTF_8));
    files.put("pytorch_model.bin", randomBytes(1000, 1));
    hub.addRepo(REPO, files, Set.of("pytorch_model.bin"));
    var e = assertThrows(Embed4jException.InvalidModel.class, () -> client().snapshot(REPO, "main"));
    assertTrue(e.getMessage().contains(REPO + "@main has no ONNX export") && e.getMessage().contains("optimum"), e.getMessage());
    assertEquals(0, cdnGets());
  }

  @Test
  void concurrentSnapshotsDownloadEachFileOnce() throws Exception {
    String commit = smallRepo().commit;
    HubClient client = client();
    List<Path> dirs = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<Path>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        futures.add(pool.submit(() -> client.snapshot(REPO, "main")));
      }
      for (Future<Path> f : futures) {
        dirs.add(f.get());
      }
    }
    assertEquals(1, dirs.stream().distinct().count());
    assertEquals(1, cdnGets());
    for (String file : FIXTURE_FILES) {
      assertEquals(1, hub.count(r -> r.method().equals("GET") && r.path().endsWith("/resolve/" + commit + "/" + file)), file);
    }
  }

  @Test
  void progressBarIsDrawnOnlyForBigFilesWhenEnabled() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (DownloadProgress p = new DownloadProgress(out, "onnx/model.onnx", 4_000_000, 0, true)) {
      p.advance(2_000_000);
    }
    String drawn = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(drawn.contains("onnx/model.onnx [") && drawn.contains("2.0/4.0 MB"), drawn);

    bytes.reset();
    try (DownloadProgress small = new DownloadProgress(out, "config.json", 600, 0, true);
        DownloadProgress quiet = new DownloadProgress(out, "onnx/model.onnx", 4_000_000, 0, false)) {
      small.advance(600);
      quiet.advance(4_000_000);
    }
    assertEquals("", bytes.toString(StandardCharsets.UTF_8));
  }

  private static void withSystemProperties(Map<String, String> props, ThrowingRunnable body) throws IOException {
    Map<String, String> old = new HashMap<>();
    for (String k : List.of("embed4j.hf.endpoint", "embed4j.hf.cache", "embed4j.hf.offline")) {
      old.put(k, System.getProperty(k));
    }
    try {
      props.forEach(System::setProperty);
      body.run();
    } finally {
      old.forEach((k, v) -> {
        if (v == null) {
          System.clearProperty(k);
        } else {
          System.setProperty(k, v);
        }
      });
    }
  }

  private interface ThrowingRunnable {
    void run() throws IOException;
  }
}

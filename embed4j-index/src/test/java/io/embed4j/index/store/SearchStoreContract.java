package io.embed4j.index.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.index.chunk.Chunk;
import io.embed4j.index.fusion.Fusion;
import io.embed4j.sparse.SparseVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SearchStore} must do, on hand-made 4-d unit vectors (no model needed). A store
 * implementation extends this class and says how to create and reopen one; the Lucene store is
 * the first ({@code LuceneStoreTest}).
 */
public abstract class SearchStoreContract {
  protected static final ModelStamp MODEL = new ModelStamp("test-model", "test-model", "0123456789abcdef", 4, true, "cosine", "", "", 128);

  /** The sparse model of {@link #createWithSparse}: a 16-term vocabulary. */
  protected static final SparseStamp SPARSE_MODEL = new SparseStamp("test-sparse", "test-sparse", "fedcba9876543210", 16, 0, 0f);

  /** The modes every store serves; {@link SearchMode#SPARSE} needs a store with sparse vectors. */
  protected static final List<SearchMode> MODES_WITHOUT_SPARSE = List.of(SearchMode.HYBRID, SearchMode.DENSE, SearchMode.EXACT, SearchMode.BM25);

  /** A new, empty store for {@link #MODEL} with {@code settings}. */
  protected abstract SearchStore create(StoreSettings settings);

  /**
   * A new, empty store for {@link #MODEL} that also holds {@link #SPARSE_MODEL}'s sparse vectors; a
   * store without sparse support keeps this default (null) and the sparse tests are skipped for it.
   */
  protected SearchStore createWithSparse(StoreSettings settings) {
    return null;
  }

  /** The same store opened again after {@code closed} was closed (a new process would see this). */
  protected abstract SearchStore reopen(SearchStore closed);

  protected SearchStore store;

  @BeforeEach
  void open() {
    store = create(StoreSettings.defaults());
  }

  @AfterEach
  void close() {
    store.close();
  }

  protected static float[] unit(int axis) {
    float[] v = new float[4];
    v[axis] = 1f;
    return v;
  }

  protected static float[] between(int a, int b) {
    float[] v = new float[4];
    v[a] = (float) Math.sqrt(0.5);
    v[b] = (float) Math.sqrt(0.5);
    return v;
  }

  protected static SourceRecord source(String id, int chunks) {
    return new SourceRecord(id, "/docs/" + id, "10:20", "sha-" + id, "text", chunks, "");
  }

  protected static ChunkRecord chunk(String source, int ordinal, String text, float[] vector, Map<String, String> meta) {
    Chunk c = new Chunk(text, "Heading of " + source, ordinal * 10 + 1, ordinal * 10 + 5, -1, -1, 0, null, meta, 5);
    return new ChunkRecord(source, "/docs/" + source, ordinal, "text", c, vector);
  }

  /** Three sources: apple (axis 0), banana (axis 1, two chunks), cherry (axis 2). */
  protected void putFruit() {
    store.put(source("apple.txt", 1), List.of(chunk("apple.txt", 0, "apples grow on trees", unit(0), Map.of("lang", "en"))));
    store.put(source("banana.txt", 2), List.of(
        chunk("banana.txt", 0, "bananas are yellow", unit(1), Map.of("lang", "en")),
        chunk("banana.txt", 1, "plantains are cooked bananas", between(1, 3), Map.of("lang", "en"))));
    store.put(source("cherry.txt", 1), List.of(chunk("cherry.txt", 0, "Kirschen sind rot", unit(2), Map.of("lang", "de"))));
    store.commit();
  }

  private static List<String> ids(List<SearchHit> hits) {
    List<String> out = new ArrayList<>();
    for (SearchHit h : hits) {
      out.add(h.sourceId() + "#" + h.ordinal());
    }
    return out;
  }

  @Test
  void recordsTheModelAndSettingsItWasBuiltWith() {
    assertEquals(MODEL, store.model());
    assertEquals(StoreSettings.defaults(), store.settings());
  }

  @Test
  void everyModeFindsTheMatchingChunk() {
    putFruit();
    for (SearchMode mode : MODES_WITHOUT_SPARSE) {
      List<SearchHit> hits = store.search(SearchRequest.of("apples trees", unit(0), 2, mode));
      assertEquals("apple.txt#0", ids(hits).get(0), mode.toString());
    }
    SearchHit top = store.search(SearchRequest.of(null, unit(0), 1, SearchMode.EXACT)).get(0);
    assertEquals(1.0, top.score(), 1e-6, "dense scores are the model's cosine");
    assertEquals("apples grow on trees", top.text());
    assertEquals("Heading of apple.txt", top.heading());
    assertEquals(1, top.startLine());
    assertEquals(5, top.endLine());
    assertEquals("en", top.metadata().get("lang"));
    assertEquals(Math.sqrt(0.5), store.search(SearchRequest.of(null, unit(3), 1, SearchMode.DENSE)).get(0).score(), 1e-6);
  }

  @Test
  void hybridFusesBothRankings() {
    putFruit();
    // Dense prefers banana#0 (axis 1), BM25 prefers plantains (banana#1): both in the fused top 2.
    List<SearchHit> hits = store.search(SearchRequest.of("plantains", unit(1), 2, SearchMode.HYBRID).withFusion(Fusion.RRF));
    assertEquals(List.of("banana.txt#0", "banana.txt#1").stream().sorted().toList(), ids(hits).stream().sorted().toList());
  }

  @Test
  void putReplacesEveryChunkOfASource() {
    putFruit();
    assertEquals(4, store.chunkCount());
    store.put(source("banana.txt", 1), List.of(chunk("banana.txt", 0, "bananas ripen fast", unit(1), Map.of())));
    store.commit();
    assertEquals(3, store.chunkCount());
    assertTrue(store.search(SearchRequest.of("plantains", null, 5, SearchMode.BM25)).isEmpty());
    assertEquals(1, store.sources().get("banana.txt").chunks());
  }

  @Test
  void deleteRemovesTheSourceAndItsChunks() {
    putFruit();
    store.delete("apple.txt");
    store.commit();
    assertFalse(store.sources().containsKey("apple.txt"));
    for (SearchMode mode : MODES_WITHOUT_SPARSE) {
      assertFalse(ids(store.search(SearchRequest.of("apples", unit(0), 10, mode))).contains("apple.txt#0"), mode.toString());
    }
  }

  @Test
  void skippedSourcesAreRecordedWithoutChunks() {
    store.put(new SourceRecord("photo.png", "/docs/photo.png", "1:2", "", "skipped", 0, "binary format (.png)"), List.of());
    store.commit();
    assertEquals("binary format (.png)", store.sources().get("photo.png").note());
    assertEquals(0, store.chunkCount());
  }

  @Test
  void updateSourceChangesTheRecordButKeepsTheChunks() {
    putFruit();
    store.updateSource(source("apple.txt", 1).withFingerprint("99:99"));
    store.commit();
    assertEquals("99:99", store.sources().get("apple.txt").fingerprint());
    assertEquals(4, store.chunkCount());
  }

  @Test
  void filtersApplyInEveryMode() {
    putFruit();
    for (SearchMode mode : MODES_WITHOUT_SPARSE) {
      List<SearchHit> de = store.search(SearchRequest.of("rot Kirschen apples", unit(0), 10, mode)
          .withFilters(List.of(Filter.parse("lang=de"))));
      assertEquals(List.of("cherry.txt#0"), ids(de), mode.toString());
      List<SearchHit> path = store.search(SearchRequest.of("bananas apples", unit(1), 10, mode)
          .withFilters(List.of(Filter.parse("path=banana*"))));
      assertTrue(!path.isEmpty() && path.stream().allMatch(h -> h.sourceId().equals("banana.txt")), mode + ": " + ids(path));
    }
  }

  @Test
  void onePerSourceKeepsEachSourcesBestChunk() {
    putFruit();
    List<SearchHit> all = store.search(SearchRequest.of(null, between(1, 3), 4, SearchMode.EXACT));
    assertEquals(List.of("banana.txt#1", "banana.txt#0"), ids(all).subList(0, 2));
    List<SearchHit> grouped = store.search(SearchRequest.of(null, between(1, 3), 3, SearchMode.EXACT).withOnePerSource(true));
    assertEquals("banana.txt#1", ids(grouped).get(0));
    assertEquals(3, grouped.stream().map(SearchHit::sourceId).distinct().count());
  }

  @Test
  void onlyCommittedChangesSurviveAReopen() {
    putFruit();
    store.setProperty("roots", "file:/docs");
    store.commit();
    store.delete("apple.txt");
    store.put(source("date.txt", 1), List.of(chunk("date.txt", 0, "dates are sweet", unit(3), Map.of())));
    store = reopen(store); // closed without a commit: as if the process died here
    assertTrue(store.sources().containsKey("apple.txt"));
    assertFalse(store.sources().containsKey("date.txt"));
    assertEquals(4, store.chunkCount());
    assertEquals("file:/docs", store.properties().get("roots"));
    assertEquals(MODEL, store.model());
  }

  // ---- sparse vectors (stores created by createWithSparse)

  protected static SparseVector sparse(int[] indices, float[] values) {
    return new SparseVector(indices, values);
  }

  /**
   * The fruit with sparse vectors whose weights are exact in 8 mantissa bits (so any encoding keeps
   * them): apple {1: 2, 3: 0.5}, banana#0 {1: 0.5, 2: 1.25}, banana#1 {2: 1, 5: 3}, cherry {3: 1, 5: 0.25}.
   */
  protected void putSparseFruit() {
    store.put(source("apple.txt", 1), List.of(withSparse(chunk("apple.txt", 0, "apples grow on trees", unit(0), Map.of("lang", "en")),
        sparse(new int[] {1, 3}, new float[] {2f, 0.5f}))));
    store.put(source("banana.txt", 2), List.of(
        withSparse(chunk("banana.txt", 0, "bananas are yellow", unit(1), Map.of("lang", "en")), sparse(new int[] {1, 2}, new float[] {0.5f, 1.25f})),
        withSparse(chunk("banana.txt", 1, "plantains are cooked bananas", between(1, 3), Map.of("lang", "en")),
            sparse(new int[] {2, 5}, new float[] {1f, 3f}))));
    store.put(source("cherry.txt", 1), List.of(withSparse(chunk("cherry.txt", 0, "Kirschen sind rot", unit(2), Map.of("lang", "de")),
        sparse(new int[] {3, 5}, new float[] {1f, 0.25f}))));
    store.commit();
  }

  protected static ChunkRecord withSparse(ChunkRecord c, SparseVector s) {
    return new ChunkRecord(c.sourceId(), c.path(), c.ordinal(), c.format(), c.chunk(), c.vector(), s);
  }

  /** Query {1: 1, 2: 1, 5: 0.5}: dot products banana#1 2.5, apple 2, banana#0 1.75, cherry 0.125. */
  protected static final SparseVector SPARSE_QUERY = new SparseVector(new int[] {1, 2, 5}, new float[] {1f, 1f, 0.5f});

  private void useSparseStore() {
    SearchStore s = createWithSparse(StoreSettings.defaults());
    Assumptions.assumeTrue(s != null, "this store does not hold sparse vectors");
    store.close();
    store = s;
  }

  @Test
  void aStoreWithoutSparseVectorsSaysSo() {
    assertTrue(store.sparseModel().isEmpty(), "created without a sparse model");
  }

  @Test
  void sparseSearchRanksByTheDotProduct() {
    useSparseStore();
    assertEquals(SPARSE_MODEL, store.sparseModel().orElseThrow());
    putSparseFruit();
    List<SearchHit> hits = store.search(SearchRequest.of(null, null, SPARSE_QUERY, 10, SearchMode.SPARSE));
    assertEquals(List.of("banana.txt#1", "apple.txt#0", "banana.txt#0", "cherry.txt#0"), ids(hits));
    double[] want = {2.5, 2.0, 1.75, 0.125};
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], hits.get(i).score(), 1e-6, "score of " + ids(hits).get(i) + " is the dot product");
    }
    assertTrue(store.search(SearchRequest.of(null, null, sparse(new int[] {7}, new float[] {1f}), 10, SearchMode.SPARSE)).isEmpty(),
        "no chunk shares term 7");
  }

  @Test
  void sparseSearchHonoursFiltersDeletesAndReplacements() {
    useSparseStore();
    putSparseFruit();
    List<SearchHit> de = store.search(SearchRequest.of(null, null, SPARSE_QUERY, 10, SearchMode.SPARSE).withFilters(List.of(Filter.parse("lang=de"))));
    assertEquals(List.of("cherry.txt#0"), ids(de));
    store.delete("apple.txt");
    store.put(source("banana.txt", 1), List.of(withSparse(chunk("banana.txt", 0, "bananas ripen fast", unit(1), Map.of()),
        sparse(new int[] {5}, new float[] {4f}))));
    store.commit();
    List<SearchHit> hits = store.search(SearchRequest.of(null, null, SPARSE_QUERY, 10, SearchMode.SPARSE));
    assertEquals(List.of("banana.txt#0", "cherry.txt#0"), ids(hits), "apple deleted, banana's old chunks replaced");
    assertEquals(2.0, hits.get(0).score(), 1e-6);
  }

  private static SearchRequest hybrid(String text, float[] dense, SearchMode... fused) {
    return new SearchRequest(text, dense, 10, SearchMode.HYBRID, List.of(), Fusion.RRF, SearchRequest.DEFAULT_CANDIDATES, false,
        SPARSE_QUERY, List.of(fused));
  }

  @Test
  void hybridFusesDenseSparseAndBm25() {
    useSparseStore();
    putSparseFruit();
    // Dense (0.8, 0.6, 0, 0): apple .8, banana#0 .6, banana#1 .42, cherry 0. Sparse: banana#1, apple, banana#0, cherry.
    // BM25 "cooked plantains": banana#1 only. RRF (60): banana#1 1/63 + 1/61 + 1/61, apple 1/61 + 1/62,
    // banana#0 1/62 + 1/63, cherry 1/64 + 1/64.
    float[] dense = {0.8f, 0.6f, 0f, 0f};
    List<SearchHit> hits = store.search(hybrid("cooked plantains", dense, SearchMode.DENSE, SearchMode.SPARSE, SearchMode.BM25));
    assertEquals(List.of("banana.txt#1", "apple.txt#0", "banana.txt#0", "cherry.txt#0"), ids(hits));
    assertEquals(1.0 / 63 + 2.0 / 61, hits.get(0).score(), 1e-12);
    assertEquals(1.0 / 61 + 1.0 / 62, hits.get(1).score(), 1e-12);
    assertEquals(1.0 / 62 + 1.0 / 63, hits.get(2).score(), 1e-12);
    assertEquals(2.0 / 64, hits.get(3).score(), 1e-12);

    // Sparse and BM25 alone need no dense vector: banana#1 2/61, apple 1/62, banana#0 1/63, cherry 1/64.
    List<SearchHit> lexical = store.search(hybrid("cooked plantains", null, SearchMode.SPARSE, SearchMode.BM25));
    assertEquals(List.of("banana.txt#1", "apple.txt#0", "banana.txt#0", "cherry.txt#0"), ids(lexical));
    assertEquals(2.0 / 61, lexical.get(0).score(), 1e-12);
    assertEquals(1.0 / 64, lexical.get(3).score(), 1e-12);
  }
}

package io.embed4j.index.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.index.chunk.Chunk;
import io.embed4j.index.fusion.Fusion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SearchStore} must do, on hand-made 4-d unit vectors (no model needed). A store
 * implementation extends this class and says how to create and reopen one; the Lucene store is
 * the first ({@code LuceneStoreTest}).
 */
public abstract class SearchStoreContract {
  protected static final ModelStamp MODEL = new ModelStamp("test-model", "test-model", "0123456789abcdef", 4, true, "cosine", "", "", 128);

  /** A new, empty store for {@link #MODEL} with {@code settings}. */
  protected abstract SearchStore create(StoreSettings settings);

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
    for (SearchMode mode : SearchMode.values()) {
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
    for (SearchMode mode : SearchMode.values()) {
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
    for (SearchMode mode : SearchMode.values()) {
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
}

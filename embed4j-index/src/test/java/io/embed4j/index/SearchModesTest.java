package io.embed4j.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.index.fusion.Fusion;
import io.embed4j.index.job.FileSourceSet;
import io.embed4j.index.job.IndexListener;
import io.embed4j.index.store.Filter;
import io.embed4j.index.store.SearchHit;
import io.embed4j.index.store.SearchMode;
import io.embed4j.index.store.StoreSettings;
import io.embed4j.index.store.VectorEncoding;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every search mode and vector encoding against known answers on the small mixed corpus, with the real model. */
class SearchModesTest {
  @TempDir static Path tmp;
  static Path docs;
  static final Map<VectorEncoding, SemanticIndex> INDEXES = new EnumMap<>(VectorEncoding.class);

  @BeforeAll
  static void build() throws Exception {
    docs = tmp.resolve("docs");
    TestCorpus.write(docs);
    for (VectorEncoding e : List.of(VectorEncoding.FLOAT32, VectorEncoding.INT8, VectorEncoding.BINARY)) {
      Path location = tmp.resolve("index-" + e.cliName());
      SemanticIndex index = SemanticIndex.openOrCreate(location, new SemanticIndex.Options(null, TestCorpus.Models.loader(),
          StoreSettings.defaults().withEncoding(e), null));
      index.update(List.of(new FileSourceSet(docs, List.of(location))), IndexListener.NONE, () -> false);
      INDEXES.put(e, index);
    }
  }

  @AfterAll
  static void close() {
    INDEXES.values().forEach(SemanticIndex::close);
  }

  private static List<SearchHit> search(String query, SearchMode mode) {
    return search(VectorEncoding.FLOAT32, query, SearchOptions.defaults().withMode(mode));
  }

  private static List<SearchHit> search(VectorEncoding e, String query, SearchOptions o) {
    return INDEXES.get(e).search(query, o).hits();
  }

  private static String file(SearchHit h) {
    return docs.relativize(Path.of(h.path())).toString();
  }

  @Test
  void denseFindsThePageThatNeverSaysTheQueryWords() {
    for (SearchMode mode : List.of(SearchMode.DENSE, SearchMode.EXACT, SearchMode.HYBRID)) {
      SearchHit top = search("reset password policy", mode).get(0);
      assertEquals("it/accounts.md", file(top), mode + " top hit");
      assertEquals("IT handbook > Changing your login credentials", top.heading(), mode + " heading");
      assertEquals(5, top.startLine());
      assertEquals(6, top.endLine());
    }
  }

  @Test
  void bm25FindsTheRareExactTokenAndHybridKeepsIt() {
    assertEquals("support/troubleshooting.txt", file(search("ERR_QUOTA_7731", SearchMode.BM25).get(0)));
    List<SearchHit> hybrid = search("what does ERR_QUOTA_7731 mean", SearchMode.HYBRID);
    assertEquals("support/troubleshooting.txt", file(hybrid.get(0)));
    // BM25 has no match for words the corpus never uses.
    assertTrue(search("reset password policy", SearchMode.BM25).stream().noneMatch(h -> file(h).equals("it/accounts.md")));
  }

  @Test
  void exactAndHnswAgreeOnASmallIndexAndScoresAreTheModelsCosine() {
    List<SearchHit> exact = search("growing tomatoes in the garden", SearchMode.EXACT);
    List<SearchHit> dense = search("growing tomatoes in the garden", SearchMode.DENSE);
    assertEquals(exact.stream().map(h -> h.sourceId() + "#" + h.ordinal()).toList(),
        dense.stream().map(h -> h.sourceId() + "#" + h.ordinal()).toList());
    for (int i = 0; i < exact.size(); i++) {
      assertEquals(exact.get(i).score(), dense.get(i).score(), 1e-5);
    }
    assertEquals("garden.html", file(exact.get(0)));
    var model = TestCorpus.Models.minilm();
    float[] q = model.encodeQuery(List.of("growing tomatoes in the garden"))[0];
    float[] d = model.encodeDocument(List.of(exact.get(0).heading() + "\n\n" + exact.get(0).text()))[0];
    assertEquals(model.similarity(q, d), exact.get(0).score(), 1e-5);
  }

  @Test
  void quantizedGraphsAreRescoredWithFullPrecisionVectors() {
    List<SearchHit> exact = search("solar electricity at home", SearchMode.EXACT);
    for (VectorEncoding e : List.of(VectorEncoding.INT8, VectorEncoding.BINARY)) {
      List<SearchHit> hits = search(e, "solar electricity at home", SearchOptions.defaults().withMode(SearchMode.DENSE).withK(3));
      assertEquals("energy.pdf", file(hits.get(0)), e + " top hit");
      assertEquals(1, hits.get(0).page());
      for (int i = 0; i < hits.size(); i++) {
        assertEquals(exact.get(i).sourceId(), hits.get(i).sourceId(), e + " rank " + i);
        assertEquals(exact.get(i).score(), hits.get(i).score(), 1e-4, e + " rescored score at rank " + i);
      }
    }
  }

  @Test
  void weightedFusionIsAnOption() {
    SearchOptions o = SearchOptions.defaults().withFusion(Fusion.parse("weighted", 0.5));
    List<SearchHit> hits = search(VectorEncoding.FLOAT32, "ERR_QUOTA_7731 storage", o);
    assertEquals("support/troubleshooting.txt", file(hits.get(0)));
    assertTrue(hits.get(0).score() <= 1.0 && hits.get(0).score() > 0.5, "normalized scores: " + hits.get(0).score());
  }

  @Test
  void filtersNarrowByPathFormatAndRecordMetadata() {
    for (SearchMode mode : SearchModes.WITHOUT_SPARSE) {
      List<SearchHit> kitchen = search(VectorEncoding.FLOAT32, "tomato", SearchOptions.defaults().withMode(mode)
          .withFilters(List.of(Filter.parse("path=kitchen/*"))));
      assertFalse(kitchen.isEmpty(), mode.toString());
      assertTrue(kitchen.stream().allMatch(h -> file(h).startsWith("kitchen/")), mode + ": " + kitchen);
      List<SearchHit> german = search(VectorEncoding.FLOAT32, "repair a bicycle tube", SearchOptions.defaults().withMode(mode)
          .withFilters(List.of(Filter.parse("lang=de"))));
      if (mode != SearchMode.BM25) {
        assertEquals(1, german.size(), mode.toString());
        assertEquals("n2", german.get(0).record());
      }
      assertTrue(german.stream().allMatch(h -> "n2".equals(h.record())), mode + ": " + german);
    }
    List<SearchHit> pdfs = search(VectorEncoding.FLOAT32, "anything at all", SearchOptions.defaults().withMode(SearchMode.DENSE)
        .withFilters(List.of(Filter.parse("format=pdf"))));
    assertEquals(List.of("energy.pdf"), pdfs.stream().map(SearchModesTest::file).toList());
  }

  @Test
  void onePerSourceKeepsTheBestChunkOfEachFile() {
    List<SearchHit> all = search(VectorEncoding.FLOAT32, "help desk", SearchOptions.defaults().withMode(SearchMode.EXACT).withK(20));
    long accountsChunks = all.stream().filter(h -> file(h).equals("it/accounts.md")).count();
    assertTrue(accountsChunks >= 2, "the IT page has several chunks: " + all);
    List<SearchHit> grouped = search(VectorEncoding.FLOAT32, "help desk",
        SearchOptions.defaults().withMode(SearchMode.EXACT).withK(20).withOnePerSource(true));
    assertEquals(grouped.size(), grouped.stream().map(SearchHit::sourceId).distinct().count());
    assertEquals(all.get(0), grouped.get(0));
  }
}

package io.embed4j.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.EmbeddingModel;
import io.embed4j.index.job.FileSourceSet;
import io.embed4j.index.job.IndexListener;
import io.embed4j.index.job.IndexReport;
import io.embed4j.index.store.SearchHit;
import io.embed4j.index.store.SearchMode;
import io.embed4j.index.store.SourceRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real folder of mixed files, indexed, changed (edit, add, delete, touch) and indexed again. */
class IncrementalIndexTest {
  @TempDir Path tmp;

  private static final class CountingLoader implements SemanticIndex.ModelLoader {
    final AtomicInteger loads = new AtomicInteger();

    @Override
    public EmbeddingModel load(String model) {
      loads.incrementAndGet();
      return TestCorpus.Models.loader().load(model);
    }

    @Override
    public boolean shared() {
      return true;
    }
  }

  private static IndexReport update(SemanticIndex index, Path docs) {
    return index.update(List.of(new FileSourceSet(docs, List.of(index.location().root()))), IndexListener.NONE, () -> false);
  }

  private static List<String> files(List<SearchHit> hits, Path docs) {
    return hits.stream().map(h -> docs.relativize(Path.of(h.path())).toString()).toList();
  }

  @Test
  void indexesMixedFilesThenPicksUpEditsAdditionsAndDeletions() throws Exception {
    Path docs = tmp.resolve("docs");
    TestCorpus.write(docs);
    Path location = docs.resolve(".embed4j"); // the default location, inside the folder it indexes
    CountingLoader loader = new CountingLoader();
    SemanticIndex.Options options = new SemanticIndex.Options(null, loader, null, null);

    try (SemanticIndex index = SemanticIndex.openOrCreate(location, options)) {
      IndexReport first = update(index, docs);
      assertEquals(TestCorpus.TEXT_FILES, first.added(), first.notes().toString());
      assertEquals(TestCorpus.BINARY_FILES, first.skipped(), first.notes().toString());
      assertTrue(first.notes().stream().anyMatch(n -> n.contains("photo.png: skipped, binary format (.png)")), first.notes().toString());
      assertTrue(first.notes().stream().anyMatch(n -> n.contains("blob.dat: skipped, binary content")), first.notes().toString());
      Map<String, SourceRecord> sources = index.store().sources();
      assertTrue(sources.keySet().stream().noneMatch(id -> id.contains(".embed4j")), "the index never indexes itself");
      assertEquals(first.chunks(), index.store().chunkCount());
      List<SearchHit> garden = index.search("how often to water tomato plants", SearchOptions.defaults()).hits();
      assertEquals("garden.html", files(garden, docs).get(0));
      assertEquals(4, garden.get(0).startLine());
      assertEquals("Growing vegetables", garden.get(0).heading());
    }

    // Edit one file, add one, delete one, and touch one without changing its bytes.
    Files.writeString(docs.resolve("travel.txt"), "Visa applications\n\nApply for a visa at the consulate six weeks before the trip.\n");
    Files.writeString(docs.resolve("kitchen/bread.md"), "# Sourdough\n\nFeed the starter daily and bake the loaf in a covered pot.\n");
    Files.delete(docs.resolve("kitchen/pizza.md"));
    Path soup = docs.resolve("kitchen/soup.txt");
    Files.setLastModifiedTime(soup, FileTime.fromMillis(Files.getLastModifiedTime(soup).toMillis() + 60_000));

    try (SemanticIndex index = SemanticIndex.openOrCreate(location, options)) {
      IndexReport second = update(index, docs);
      assertEquals(1, second.added(), second.toString());
      assertEquals(1, second.updated(), second.toString());
      assertEquals(1, second.deleted(), second.toString());
      assertEquals(TestCorpus.TEXT_FILES + TestCorpus.BINARY_FILES - 2, second.unchanged(), "the touched file is unchanged by hash");
      assertEquals(2, second.chunks(), "only the edited and the new file are embedded");
      assertEquals("travel.txt", files(index.search("consulate visa", SearchOptions.defaults()).hits(), docs).get(0));
      assertEquals("kitchen/bread.md", files(index.search("sourdough starter", SearchOptions.defaults()).hits(), docs).get(0));
      assertTrue(index.search("flights receipts refunded", SearchOptions.defaults().withMode(SearchMode.BM25)).hits().isEmpty(),
          "the old travel text is gone");
      for (SearchMode mode : SearchModes.WITHOUT_SPARSE) {
        List<String> hits = files(index.search("pizza dough oven", SearchOptions.defaults().withMode(mode).withK(20)).hits(), docs);
        assertFalse(hits.contains("kitchen/pizza.md"), mode + " still finds a deleted file: " + hits);
      }
      String touched = soup.toAbsolutePath().toString();
      assertEquals(Files.getLastModifiedTime(soup).toMillis(), Long.parseLong(index.store().sources().get(touched).fingerprint().split(":")[1]),
          "the touched file's new fingerprint is recorded, so it is not hashed again");
    }
    int loadsSoFar = loader.loads.get();

    try (SemanticIndex index = SemanticIndex.openOrCreate(location, options)) {
      IndexReport third = update(index, docs);
      assertFalse(third.changedAnything(), third.toString());
      assertEquals(TestCorpus.TEXT_FILES + TestCorpus.BINARY_FILES, third.unchanged());
      assertFalse(index.search("sourdough", SearchOptions.defaults().withMode(SearchMode.BM25)).hits().isEmpty());
      assertEquals(loadsSoFar, loader.loads.get(), "nothing changed and BM25 needs no vectors: the model is never loaded");
    }
  }
}

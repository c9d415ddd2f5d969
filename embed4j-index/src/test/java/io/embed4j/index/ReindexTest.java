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
import io.embed4j.index.store.StoreSettings;
import io.embed4j.index.store.VectorEncoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reindex builds the new generation beside the old one, resumes when interrupted, and swaps atomically. */
class ReindexTest {
  @TempDir Path tmp;

  @Test
  void reindexWithANewModelSwapsGenerationsAndResumesAfterAnInterruption() throws Exception {
    Path docs = tmp.resolve("docs");
    TestCorpus.write(docs);
    Path location = docs.resolve(".embed4j");
    try (EmbeddingModel quantized = EmbeddingModel.load("all-MiniLM-L6-v2-q")) {
      SemanticIndex.ModelLoader loader = SemanticIndex.ModelLoader.sharing(
          Map.of("all-MiniLM-L6-v2", TestCorpus.Models.minilm(), "all-MiniLM-L6-v2-q", quantized));
      SemanticIndex.Options options = new SemanticIndex.Options(null, loader, null, null);
      try (SemanticIndex index = SemanticIndex.openOrCreate(location, options)) {
        index.update(List.of(new FileSourceSet(docs, List.of(location))), IndexListener.NONE, () -> false);
      }
      assertEquals("gen-000001", Files.readString(location.resolve("CURRENT")).strip());

      // A reader that opened the old generation keeps working through the swap.
      try (SemanticIndex reader = SemanticIndex.openForSearch(location, options)) {
        // First attempt: interrupted after three sources. The old index stays current.
        AtomicInteger polls = new AtomicInteger();
        IndexReport cut = SemanticIndex.reindex(location, options.withModel("all-MiniLM-L6-v2-q"), IndexListener.NONE,
            () -> polls.incrementAndGet() > 3);
        assertTrue(cut.cancelled());
        assertEquals("gen-000001", Files.readString(location.resolve("CURRENT")).strip());
        assertTrue(Files.isDirectory(location.resolve("gen-000002")), "the partial new generation is kept for resuming");

        IndexReport done = SemanticIndex.reindex(location, options.withModel("all-MiniLM-L6-v2-q"), IndexListener.NONE, () -> false);
        assertFalse(done.cancelled());
        assertEquals(3, done.unchanged(), "resumed: the three finished sources are not embedded again");
        assertEquals(TestCorpus.TEXT_FILES + TestCorpus.BINARY_FILES - 3, done.added() + done.skipped());
        assertEquals("gen-000002", Files.readString(location.resolve("CURRENT")).strip());
        assertFalse(Files.exists(location.resolve("gen-000001")), "the old generation is removed after the swap");

        List<SearchHit> old = reader.search("reset password policy", SearchOptions.defaults()).hits();
        assertTrue(old.get(0).path().endsWith("accounts.md"), "a searcher opened before the swap still reads its snapshot");
      }
      long chunks;
      try (SemanticIndex index = SemanticIndex.openForSearch(location, options)) {
        assertEquals("all-MiniLM-L6-v2-q", index.modelStamp().source());
        assertTrue(index.search("reset password policy", SearchOptions.defaults()).hits().get(0).path().endsWith("accounts.md"));
        chunks = index.store().chunkCount();
      }

      // Same model, only the vector encoding changes: the stored vectors are rewritten, nothing is embedded.
      IndexReport converted = SemanticIndex.reindex(location, options.withModel("all-MiniLM-L6-v2-q")
          .withSettings(StoreSettings.defaults().withEncoding(VectorEncoding.INT8)), IndexListener.NONE, () -> false);
      assertEquals(0, converted.chunks());
      assertEquals(0, converted.encodeStats().texts());
      assertEquals("gen-000003", Files.readString(location.resolve("CURRENT")).strip());
      try (SemanticIndex index = SemanticIndex.openForSearch(location, options)) {
        assertEquals(VectorEncoding.INT8, index.store().settings().encoding());
        assertEquals(chunks, index.store().chunkCount());
        assertEquals(TestCorpus.TEXT_FILES + TestCorpus.BINARY_FILES, index.store().sources().size());
        SearchHit top = index.search("reset password policy", SearchOptions.defaults().withMode(SearchMode.DENSE)).hits().get(0);
        assertTrue(top.path().endsWith("accounts.md"));
        assertEquals(index.search("reset password policy", SearchOptions.defaults().withMode(SearchMode.EXACT)).hits().get(0).score(),
            top.score(), 1e-5, "rescored with the float vectors carried over");
      }
    }
  }
}

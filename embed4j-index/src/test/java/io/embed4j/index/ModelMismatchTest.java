package io.embed4j.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.EmbeddingModel;
import io.embed4j.Embed4jException;
import io.embed4j.index.job.FileSourceSet;
import io.embed4j.index.job.IndexListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An index built by one model refuses another, even one of the same width and name family. */
class ModelMismatchTest {
  @TempDir Path tmp;

  @Test
  void searchingWithAnotherModelIsRefusedWithTheWayOut() throws Exception {
    Path docs = tmp.resolve("docs");
    TestCorpus.write(docs);
    Path location = tmp.resolve("index");
    try (EmbeddingModel quantized = EmbeddingModel.load("all-MiniLM-L6-v2-q")) {
      SemanticIndex.ModelLoader loader = SemanticIndex.ModelLoader.sharing(
          Map.of("all-MiniLM-L6-v2", TestCorpus.Models.minilm(), "all-MiniLM-L6-v2-q", quantized));
      SemanticIndex.Options options = new SemanticIndex.Options(null, loader, null, null);
      try (SemanticIndex index = SemanticIndex.openOrCreate(location, options)) {
        index.update(List.of(new FileSourceSet(docs, List.of())), IndexListener.NONE, () -> false);
      }
      assertEquals(384, quantized.dimensions(), "same width: only the weights tell the models apart");
      for (boolean forSearch : new boolean[] {true, false}) {
        Embed4jException.InvalidInput e = assertThrows(Embed4jException.InvalidInput.class, () -> {
          SemanticIndex.Options other = options.withModel("all-MiniLM-L6-v2-q");
          try (SemanticIndex i = forSearch ? SemanticIndex.openForSearch(location, other) : SemanticIndex.openOrCreate(location, other)) {
            i.search("anything", SearchOptions.defaults());
          }
        });
        String m = e.getMessage();
        assertTrue(m.contains("was built with model 'all-MiniLM-L6-v2'"), m);
        assertTrue(m.contains("'all-MiniLM-L6-v2-q'") && m.contains("cannot be compared"), m);
        assertTrue(m.contains("embed4j reindex --index " + location + " --model all-MiniLM-L6-v2-q"), m);
        assertTrue(m.lines().count() == 1, "one line for the CLI: " + m);
      }
      try (SemanticIndex i = SemanticIndex.openForSearch(location, options)) {
        assertEquals("all-MiniLM-L6-v2", i.modelStamp().source());
        assertTrue(!i.search("reset password policy", SearchOptions.defaults()).hits().isEmpty(), "the recorded model searches fine");
      }
    }
  }
}

package io.embed4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.model.CatalogEntry;
import io.embed4j.model.ModelCatalog;
import io.embed4j.vector.VectorMath;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every catalog model loads from its Maven jar and encodes sensibly; int8 variants track fp32. */
class CatalogModelsTest {
  static List<String> names() {
    return ModelCatalog.names();
  }

  @ParameterizedTest
  @MethodSource("names")
  void loadsAndRanksAParaphraseAboveAnUnrelatedText(String name) {
    CatalogEntry entry = ModelCatalog.find(name).orElseThrow();
    try (EmbeddingModel model = EmbeddingModel.load(name)) {
      assertEquals(entry.dimensions(), model.dimensions());
      assertEquals(entry.maxSeqLength(), model.maxSeqLength());
      float[][] v = model.encode(List.of("How do I reset my password?", "Steps to change your account password", "The cat sat on the mat"));
      for (float[] x : v) {
        assertEquals(1.0, VectorMath.norm(x), 1e-4);
      }
      assertTrue(model.similarity(v[0], v[1]) > model.similarity(v[0], v[2]) + 0.1f, name + " should rank the paraphrase first");
    }
  }

  @Test
  void quantizedModelsStayCloseToTheirFloatModels() {
    for (String base : List.of("all-MiniLM-L6-v2", "bge-small-en-v1.5", "e5-small-v2")) {
      try (EmbeddingModel fp32 = EmbeddingModel.load(base); EmbeddingModel q = EmbeddingModel.load(base + "-q")) {
        float cos = VectorMath.cosine(fp32.encode("quantization keeps the meaning"), q.encode("quantization keeps the meaning"));
        assertTrue(cos > 0.95f, base + " int8 vs fp32 cosine " + cos);
      }
    }
  }

  @Test
  void catalogRecordsSentenceTransformersConfiguration() {
    var bge = ModelCatalog.find("bge-small-en-v1.5").orElseThrow();
    assertEquals("cls", bge.pooling().configName());
    assertEquals("Represent this sentence for searching relevant passages: ", bge.prompts().get("query"));
    var e5 = ModelCatalog.find("E5-SMALL-V2").orElseThrow();
    assertEquals("query: ", e5.prompts().get("query"));
    assertEquals("passage: ", e5.prompts().get("passage"));
    assertEquals(256, ModelCatalog.find("all-MiniLM-L6-v2").orElseThrow().maxSeqLength());
  }

  @Test
  void unknownModelNamesTheKnownOnes() {
    var e = assertThrows(Embed4jException.ModelNotFound.class, () -> EmbeddingModel.load("no-such-model"));
    assertTrue(e.getMessage().contains("all-MiniLM-L6-v2") && e.getMessage().contains("e5-small-v2"), e.getMessage());
  }
}

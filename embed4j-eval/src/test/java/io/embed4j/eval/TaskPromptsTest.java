package io.embed4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.embed4j.model.ModelConfig;
import io.embed4j.pooling.PoolingMode;
import io.embed4j.vector.SimilarityFunction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MTEB's choice of prompts per task type for the catalog models, and the general rule. */
class TaskPromptsTest {
  private static final String BGE = "Represent this sentence for searching relevant passages: ";

  private static ModelConfig config(String name, Map<String, String> prompts, String query, String document) {
    return new ModelConfig(name, List.of(PoolingMode.MEAN), true, List.of(), true, 512, false, prompts, query, document, null,
        SimilarityFunction.COSINE);
  }

  @Test
  void e5UsesQueryAndPassageForRetrievalAndNoPromptForSts() {
    // MTEB passes no prompt type to STS, and E5's prompts are named query/passage only.
    TaskPrompts p = TaskPrompts.mteb(config("e5-small-v2", Map.of("query", "query: ", "passage", "passage: "), "query", "passage"));
    assertEquals(new TaskPrompts("query: ", "passage: ", null), p);
  }

  @Test
  void bgeInstructsRetrievalQueriesOnly() {
    TaskPrompts p = TaskPrompts.mteb(config("bge-small-en-v1.5", Map.of("query", BGE), "query", null));
    assertEquals(BGE, p.query());
    assertNull(p.document());
    assertNull(p.symmetric());
  }

  @Test
  void modelsWithoutPromptsGetNoneAndAnStsPromptIsUsedWhenConfigured() {
    assertEquals(TaskPrompts.NONE, TaskPrompts.mteb(config("all-MiniLM-L6-v2", Map.of(), null, null)));
    TaskPrompts p = TaskPrompts.mteb(config("some/instruct-model", Map.of("STS", "Retrieve semantically similar text: "), null, null));
    assertEquals("Retrieve semantically similar text: ", p.symmetric());
  }

  @Test
  void overridesReplaceOnlyWhatIsGiven() {
    TaskPrompts p = new TaskPrompts("q", "d", "s").override(null, "D", null);
    assertEquals(new TaskPrompts("q", "D", "s"), p);
  }
}

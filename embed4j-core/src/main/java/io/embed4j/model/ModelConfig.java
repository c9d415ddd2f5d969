package io.embed4j.model;

import io.embed4j.pooling.PoolingMode;
import io.embed4j.vector.SimilarityFunction;
import java.util.List;
import java.util.Map;

/**
 * What sentence-transformers' configuration files say about a model, gathered in one record.
 *
 * @param name a display name (catalog name, Hub id or directory name)
 * @param pooling pooling modes (concatenated in {@link PoolingMode} order)
 * @param includePrompt whether prompt tokens take part in pooling (false for INSTRUCTOR-style models)
 * @param denseLayers paths of Dense module directories, in pipeline order
 * @param normalize whether the pipeline ends in a Normalize module
 * @param maxSeqLength tokens kept per input, special tokens included
 * @param doLowerCase lowercase text before tokenizing (sentence_bert_config.json)
 * @param prompts named prompts, e.g. {@code query -> "query: "}
 * @param queryPromptName the prompt used for queries ({@code null} for none)
 * @param documentPromptName the prompt used for documents ({@code null} for none)
 * @param defaultPromptName prompt applied when none is asked for ({@code null} for none)
 * @param similarity the similarity function the model was trained for
 */
public record ModelConfig(
    String name,
    List<PoolingMode> pooling,
    boolean includePrompt,
    List<java.nio.file.Path> denseLayers,
    boolean normalize,
    int maxSeqLength,
    boolean doLowerCase,
    Map<String, String> prompts,
    String queryPromptName,
    String documentPromptName,
    String defaultPromptName,
    SimilarityFunction similarity) {

  public ModelConfig {
    if (pooling.isEmpty()) {
      throw new IllegalArgumentException("model '" + name + "' needs at least one pooling mode");
    }
    if (maxSeqLength <= 2) {
      throw new IllegalArgumentException("max_seq_length of '" + name + "' must be > 2, got " + maxSeqLength);
    }
    pooling = List.copyOf(pooling);
    denseLayers = List.copyOf(denseLayers);
    prompts = Map.copyOf(prompts);
    for (String p : new String[] {queryPromptName, documentPromptName, defaultPromptName}) {
      if (p != null && !prompts.containsKey(p)) {
        throw new IllegalArgumentException("model '" + name + "' names prompt '" + p + "' but defines only " + prompts.keySet());
      }
    }
  }

  /** The prompt text for queries, or "" when the model has none. */
  public String queryPrompt() {
    return queryPromptName == null ? "" : prompts.get(queryPromptName);
  }

  /** The prompt text for documents, or "" when the model has none. */
  public String documentPrompt() {
    return documentPromptName == null ? "" : prompts.get(documentPromptName);
  }
}

package io.embed4j.eval;

import io.embed4j.EmbeddingModel;
import io.embed4j.model.ModelConfig;

/**
 * The prompt (raw text prepended to each input) for each role of an evaluation, chosen as MTEB
 * chooses it. {@code null} means "no explicit prompt": the model's default prompt, if its
 * configuration names one, applies (as in sentence-transformers when no prompt is passed).
 *
 * <p>MTEB's rule ({@code model_encode} / the sentence-transformers wrapper): the prompt named after
 * the task, else after the task type ({@code STS}, {@code Retrieval}), else after the prompt type
 * ({@code query} / {@code passage}), which only retrieval passes:
 * <ul>
 *   <li>Retrieval: queries get the model's query prompt, documents its passage/document prompt
 *       (E5: {@code "query: "} / {@code "passage: "}; BGE v1.5: its instruction on queries only).
 *   <li>STS passes no prompt type, so only a prompt named {@code STS} applies: E5's
 *       {@code "query: "} does not. (Measured: e5-small-v2 on STS Benchmark test gives a cosine
 *       Spearman of 84.92 without a prompt, MTEB's published figure, and 85.94 with "query: ".)
 * </ul>
 *
 * @param query prompt for retrieval queries
 * @param document prompt for corpus documents
 * @param symmetric prompt for both sides of STS pairs
 */
public record TaskPrompts(String query, String document, String symmetric) {
  public static final TaskPrompts NONE = new TaskPrompts(null, null, null);

  /** The prompts MTEB would use for this model. */
  public static TaskPrompts mteb(EmbeddingModel model) {
    return mteb(model.config());
  }

  public static TaskPrompts mteb(ModelConfig config) {
    String query = config.queryPromptName() == null ? null : config.queryPrompt();
    String document = config.documentPromptName() == null ? null : config.documentPrompt();
    return new TaskPrompts(query, document, config.prompts().get("STS"));
  }

  public String forRole(TextEncoder.Role role) {
    return switch (role) {
      case QUERY -> query;
      case DOCUMENT -> document;
      case SYMMETRIC -> symmetric;
    };
  }

  /** These prompts with any non-null argument replacing the current one (command-line overrides). */
  public TaskPrompts override(String query, String document, String symmetric) {
    return new TaskPrompts(query != null ? query : this.query, document != null ? document : this.document,
        symmetric != null ? symmetric : this.symmetric);
  }
}

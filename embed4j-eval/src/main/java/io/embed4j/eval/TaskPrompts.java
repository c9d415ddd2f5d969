package io.embed4j.eval;

import io.embed4j.EmbeddingModel;
import io.embed4j.model.CatalogEntry;
import io.embed4j.model.ModelCatalog;
import io.embed4j.model.ModelConfig;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The prompt (raw text prepended to each input) for each role of an evaluation, chosen as MTEB
 * chooses it. {@code null} means "no explicit prompt": the model's default prompt, if its
 * configuration names one, applies (as in sentence-transformers when no prompt is passed).
 *
 * <p>MTEB's rules, per its model metadata ({@code mteb/models/*.py}) and encode wrapper:
 * <ul>
 *   <li>Retrieval: queries get the model's query prompt, documents its passage/document prompt
 *       (E5: {@code "query: "} / {@code "passage: "}; BGE v1.5: its instruction on queries only).
 *   <li>STS and other symmetric tasks carry no query/passage type, so only a prompt named {@code STS}
 *       in the model's configuration applies — except for the E5 family, whose evaluation (MTEB's
 *       E5 wrapper and the E5 authors' scripts) prefixes {@code "query: "} to both sides.
 * </ul>
 *
 * @param query prompt for retrieval queries
 * @param document prompt for corpus documents
 * @param symmetric prompt for both sides of STS pairs
 */
public record TaskPrompts(String query, String document, String symmetric) {
  /** intfloat/e5-{small,base,large}[-v2] and multilingual-e5-*, not the instruction-tuned ones. */
  private static final Pattern E5_FAMILY = Pattern.compile("(^|/)(multilingual-)?e5-(small|base|large)(-v2)?$");

  public static final TaskPrompts NONE = new TaskPrompts(null, null, null);

  /** The prompts MTEB would use for this model. */
  public static TaskPrompts mteb(EmbeddingModel model) {
    return mteb(model.config());
  }

  public static TaskPrompts mteb(ModelConfig config) {
    String query = config.queryPromptName() == null ? null : config.queryPrompt();
    String document = config.documentPromptName() == null ? null : config.documentPrompt();
    String symmetric = config.prompts().get("STS");
    if (symmetric == null && isE5(config.name())) {
      symmetric = query;
    }
    return new TaskPrompts(query, document, symmetric);
  }

  /** Whether a model name (catalog name, Hub id or directory) names an E5 model of the query/passage kind. */
  static boolean isE5(String name) {
    String id = name.trim();
    CatalogEntry entry = ModelCatalog.find(id).orElse(null);
    if (entry != null) {
      id = entry.hubId();
    }
    int at = id.indexOf('@');
    if (at >= 0) {
      id = id.substring(0, at);
    }
    id = id.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
    return E5_FAMILY.matcher(id).find();
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

package io.embed4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The size of a BERT-style encoder, for estimating the work of a forward pass.
 *
 * @param layers transformer layers
 * @param hidden hidden size
 * @param intermediate feed-forward size
 */
public record TransformerShape(int layers, int hidden, int intermediate) {

  /**
   * Multiply-add FLOPs (2 per MAC) to encode one token of a sequence of {@code seqLen} tokens:
   * Q, K, V and output projections (4·h²), the feed-forward (2·h·i), and attention scores and
   * weighted values (2·seqLen·h) per layer. Embedding lookups, norms and softmax are left out.
   */
  public double flopsPerToken(int seqLen) {
    double macs = 4.0 * hidden * hidden + 2.0 * hidden * intermediate + 2.0 * seqLen * hidden;
    return 2.0 * layers * macs;
  }

  /** Reads config.json beside the tokenizer when there is one; else the catalog's BERT shape by name. */
  public static TransformerShape of(ModelFiles files) {
    Path config = files.tokenizer().resolveSibling("config.json");
    if (Files.exists(config)) {
      JsonNode c = SentenceTransformersConfig.readJson(config);
      if (c.has("num_hidden_layers") && c.has("hidden_size")) {
        return new TransformerShape(c.get("num_hidden_layers").asInt(), c.get("hidden_size").asInt(),
            c.path("intermediate_size").asInt(4 * c.get("hidden_size").asInt()));
      }
    }
    String name = files.config().name().toLowerCase(java.util.Locale.ROOT);
    if (name.startsWith("all-minilm-l6")) {
      return new TransformerShape(6, 384, 1536);
    }
    if (name.startsWith("bge-small") || name.startsWith("e5-small")) {
      return new TransformerShape(12, 384, 1536);
    }
    return null;
  }
}

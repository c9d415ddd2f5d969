package io.embed4j.index.store;

import io.embed4j.EmbeddingModel;
import io.embed4j.Embed4jException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The identity of the model whose vectors an index holds. Two models are interchangeable for an
 * index only when weights, width, normalization, similarity and prompts all agree: vectors of two
 * different models live in unrelated spaces, so their similarities mean nothing.
 *
 * @param name the model's name
 * @param source how it was loaded (catalog name, directory or Hub id): how to load it again
 * @param weightsSha256 SHA-256 of the ONNX weights
 * @param dimensions embedding width
 * @param normalize whether vectors are unit length
 * @param similarity sentence-transformers' similarity function name
 * @param queryPrompt prompt prepended to queries
 * @param documentPrompt prompt prepended to documents
 * @param maxSeqLength tokens the model reads
 */
public record ModelStamp(
    String name,
    String source,
    String weightsSha256,
    int dimensions,
    boolean normalize,
    String similarity,
    String queryPrompt,
    String documentPrompt,
    int maxSeqLength) {

  /** The stamp of a loaded model; hashes its weights (about 0.3 s for 90 MB). */
  public static ModelStamp of(EmbeddingModel model) {
    return new ModelStamp(model.name(), model.files().source(), model.files().weightsSha256(),
        model.dimensions(), model.config().normalize(), model.similarityFunction().configName(),
        model.config().queryPrompt(), model.config().documentPrompt(), model.maxSeqLength());
  }

  /** Throws a message naming both models and the way out when {@code other}'s vectors do not belong in {@code index}. */
  public void requireCompatible(ModelStamp other, String index) {
    requireCompatible(other, index, "rebuild the index for the new model: embed4j reindex --index " + index + " --model " + other.source);
  }

  /**
   * As {@link #requireCompatible(ModelStamp, String)} for a store that is rebuilt another way
   * ({@code rebuild}: what to do, completing "Use --model X, or ...").
   */
  public void requireCompatible(ModelStamp other, String index, String rebuild) {
    if (sameVectors(other)) {
      return;
    }
    throw new Embed4jException.InvalidInput("index " + index + " was built with model " + describe()
        + "; model " + other.describe() + " makes vectors that cannot be compared with it. Use --model " + source
        + ", or " + rebuild);
  }

  public boolean sameVectors(ModelStamp other) {
    return weightsSha256.equals(other.weightsSha256) && dimensions == other.dimensions && normalize == other.normalize
        && similarity.equals(other.similarity) && queryPrompt.equals(other.queryPrompt) && documentPrompt.equals(other.documentPrompt);
  }

  public String describe() {
    return "'" + source + "' (" + dimensions + "-d, weights sha256 " + weightsSha256.substring(0, Math.min(12, weightsSha256.length()))
        + (normalize ? "" : ", not normalized") + ")";
  }

  public Map<String, String> toProperties() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("model.name", name);
    m.put("model.source", source);
    m.put("model.weights_sha256", weightsSha256);
    m.put("model.dimensions", Integer.toString(dimensions));
    m.put("model.normalize", Boolean.toString(normalize));
    m.put("model.similarity", similarity);
    m.put("model.query_prompt", queryPrompt);
    m.put("model.document_prompt", documentPrompt);
    m.put("model.max_seq_length", Integer.toString(maxSeqLength));
    return m;
  }

  public static Optional<ModelStamp> fromProperties(Map<String, String> p) {
    if (!p.containsKey("model.weights_sha256")) {
      return Optional.empty();
    }
    return Optional.of(new ModelStamp(p.get("model.name"), p.get("model.source"), p.get("model.weights_sha256"),
        Integer.parseInt(p.get("model.dimensions")), Boolean.parseBoolean(p.get("model.normalize")),
        p.get("model.similarity"), Objects.requireNonNullElse(p.get("model.query_prompt"), ""),
        Objects.requireNonNullElse(p.get("model.document_prompt"), ""),
        Integer.parseInt(p.getOrDefault("model.max_seq_length", "512"))));
  }
}

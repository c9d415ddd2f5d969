package io.embed4j.model;

import io.embed4j.pooling.PoolingMode;
import io.embed4j.vector.SimilarityFunction;
import java.util.List;
import java.util.Map;

/**
 * A built-in model: where its files are in a Maven Central jar, and what sentence-transformers'
 * configuration of the same model says (pooling, normalization, max_seq_length, prompts).
 */
public record CatalogEntry(
    String name,
    String hubId,
    String description,
    String groupId,
    String artifactId,
    String version,
    String onnxResource,
    String tokenizerResource,
    int dimensions,
    PoolingMode pooling,
    int maxSeqLength,
    Map<String, String> prompts,
    String queryPromptName,
    String documentPromptName,
    boolean quantized) {

  /** Maven coordinates {@code group:artifact:version}. */
  public String coordinates() {
    return groupId + ":" + artifactId + ":" + version;
  }

  /** Path of the jar inside a Maven local repository. */
  public String repositoryPath() {
    return groupId.replace('.', '/') + "/" + artifactId + "/" + version + "/" + artifactId + "-" + version + ".jar";
  }

  ModelConfig config() {
    return new ModelConfig(name, List.of(pooling), true, List.of(), true, maxSeqLength, false, prompts,
        queryPromptName, documentPromptName, null, SimilarityFunction.COSINE);
  }
}

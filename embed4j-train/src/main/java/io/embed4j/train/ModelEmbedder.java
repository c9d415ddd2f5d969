package io.embed4j.train;

import io.embed4j.EmbeddingModel;
import java.util.List;

/** A {@link TextEmbedder} over embed4j-core's inference pipeline (ONNX Runtime): the model's own prompts. */
public final class ModelEmbedder implements TextEmbedder {
  private final EmbeddingModel model;

  public ModelEmbedder(EmbeddingModel model) {
    this.model = model;
  }

  @Override
  public int dimensions() {
    return model.dimensions();
  }

  @Override
  public float[][] embedQueries(List<String> queries) {
    return model.encodeQuery(queries);
  }

  @Override
  public float[][] embedDocuments(List<String> documents) {
    return model.encodeDocument(documents);
  }
}

package io.embed4j.spark;

import io.embed4j.EmbeddingModel;
import java.io.Serializable;

/**
 * What every output row says about the model that made its vector.
 *
 * @param name the model's name (e.g. all-MiniLM-L6-v2)
 * @param source how it was named when loaded: catalog name, directory, or Hub id with revision
 * @param revision SHA-256 of the ONNX weights, hex: the exact weights, wherever they were loaded from
 * @param dimensions width of the vectors written (after any Matryoshka truncation)
 */
public record ModelInfo(String name, String source, String revision, int dimensions) implements Serializable {
  /** Reads a loaded model; hashes its weights (about 0.3 s for 90 MB), so call it once, on the driver. */
  public static ModelInfo of(EmbeddingModel model, EmbedSpec spec) {
    int dims = spec.dimensions() > 0 ? Math.min(spec.dimensions(), model.dimensions()) : model.dimensions();
    return new ModelInfo(model.name(), model.files().source(), model.files().weightsSha256(), dims);
  }
}

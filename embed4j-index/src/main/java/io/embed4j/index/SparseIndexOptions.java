package io.embed4j.index;

import io.embed4j.index.store.SparseStamp;
import io.embed4j.sparse.SparseEncoder;
import io.embed4j.sparse.SparseEncoderOptions;
import io.embed4j.sparse.SparseOptions;

/**
 * The sparse (SPLADE) side of an index: which model makes the chunks' sparse vectors and how they
 * are pruned. Document pruning is fixed when the index is built and recorded with it; query
 * pruning may change from one search to the next.
 *
 * @param model directory or Hub id of the sparse model; null means the one on record (none for a new index)
 * @param documentMaxDims keep the largest this many terms per chunk (0: all); null means as recorded (0 for a new index)
 * @param documentThreshold drop chunk terms whose weight is not above this; null means as recorded (0 for a new index)
 * @param queryMaxDims keep the largest this many terms per query (0: all)
 * @param loader how to load the model (the CLI passes its thread options)
 */
public record SparseIndexOptions(String model, Integer documentMaxDims, Float documentThreshold, int queryMaxDims, Loader loader) {
  /** Loads a sparse encoder with the options the index asks for. */
  @FunctionalInterface
  public interface Loader {
    SparseEncoder load(String model, SparseEncoderOptions options);

    Loader DEFAULT = SparseEncoder::load;
  }

  public SparseIndexOptions {
    loader = loader == null ? Loader.DEFAULT : loader;
    if (documentMaxDims != null && documentMaxDims < 0) {
      throw new IllegalArgumentException("--sparse-doc-max-dims must be >= 0 (0 = all), got " + documentMaxDims);
    }
    if (documentThreshold != null && (!(documentThreshold >= 0) || documentThreshold.isInfinite())) {
      throw new IllegalArgumentException("--sparse-doc-threshold must be a finite value >= 0, got " + documentThreshold);
    }
    if (queryMaxDims < 0) {
      throw new IllegalArgumentException("--sparse-query-max-dims must be >= 0 (0 = all), got " + queryMaxDims);
    }
  }

  /** No sparse model named: an existing index uses the one it records, a new index has none. */
  public static SparseIndexOptions defaults() {
    return new SparseIndexOptions(null, null, null, 0, Loader.DEFAULT);
  }

  public SparseIndexOptions withModel(String m) {
    return new SparseIndexOptions(m, documentMaxDims, documentThreshold, queryMaxDims, loader);
  }

  public SparseIndexOptions withDocumentPruning(Integer maxDims, Float threshold) {
    return new SparseIndexOptions(model, maxDims, threshold, queryMaxDims, loader);
  }

  public SparseIndexOptions withQueryMaxDims(int n) {
    return new SparseIndexOptions(model, documentMaxDims, documentThreshold, n, loader);
  }

  public SparseIndexOptions withLoader(Loader l) {
    return new SparseIndexOptions(model, documentMaxDims, documentThreshold, queryMaxDims, l);
  }

  /** The encoder options: document pruning as given, else as {@code recorded} (null for a new index). */
  SparseEncoderOptions encoderOptions(SparseStamp recorded) {
    int maxDims = documentMaxDims != null ? documentMaxDims : recorded != null ? recorded.documentMaxDims() : 0;
    float threshold = documentThreshold != null ? documentThreshold : recorded != null ? recorded.documentThreshold() : 0f;
    return SparseEncoderOptions.defaults()
        .withDocument(SparseOptions.defaults().withMaxActiveDims(maxDims).withThreshold(threshold))
        .withQuery(SparseOptions.defaults().withMaxActiveDims(queryMaxDims));
  }
}

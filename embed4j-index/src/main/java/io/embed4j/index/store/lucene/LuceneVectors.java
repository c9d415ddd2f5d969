package io.embed4j.index.store.lucene;

import io.embed4j.Embed4jException;
import io.embed4j.index.store.ModelStamp;
import io.embed4j.index.store.StoreSettings;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.VectorSimilarityFunction;
import java.util.concurrent.ExecutorService;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * The vector side of the Lucene store: the codec for an encoding, the similarity for a model, and
 * score conversion. Public for the benchmarks; internal otherwise.
 */
public final class LuceneVectors {
  private LuceneVectors() {}

  /** The HNSW format for the settings' encoding; quantized formats keep the float vectors for rescoring. */
  public static KnnVectorsFormat format(StoreSettings s) {
    return format(s, 1, null);
  }

  /** As {@link #format(StoreSettings)}, merging graphs with {@code mergeWorkers} threads of {@code executor}. */
  public static KnnVectorsFormat format(StoreSettings s, int mergeWorkers, ExecutorService executor) {
    int m = s.hnswMaxConn();
    int beam = s.hnswBeamWidth();
    return switch (s.encoding()) {
      case FLOAT32 -> new Lucene99HnswVectorsFormat(m, beam, mergeWorkers, executor);
      case INT8 -> new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.UNSIGNED_BYTE, m, beam, mergeWorkers, executor);
      case INT4 -> new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.PACKED_NIBBLE, m, beam, mergeWorkers, executor);
      case BINARY -> new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.SINGLE_BIT_QUERY_NIBBLE, m, beam, mergeWorkers, executor);
    };
  }

  /**
   * The default codec with our vector format. It keeps the default codec's name: segments record
   * the vector format per field, so any reader opens them with the stock codec.
   */
  public static Codec codec(StoreSettings settings) {
    return codec(format(settings));
  }

  /** The default codec with {@code format} for every vector field. */
  public static Codec codec(KnnVectorsFormat format) {
    Codec base = Codec.getDefault();
    KnnVectorsFormat perField = new PerFieldKnnVectorsFormat() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return format;
      }
    };
    return new FilterCodec(base.getName(), base) {
      @Override
      public KnnVectorsFormat knnVectorsFormat() {
        return perField;
      }
    };
  }

  /** Lucene's function for the model's similarity: dot product on unit vectors is cosine, and cheaper. */
  static VectorSimilarityFunction similarity(ModelStamp m) {
    return switch (m.similarity()) {
      case "cosine" -> m.normalize() ? VectorSimilarityFunction.DOT_PRODUCT : VectorSimilarityFunction.COSINE;
      case "dot" -> m.normalize() ? VectorSimilarityFunction.DOT_PRODUCT : VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
      case "euclidean" -> VectorSimilarityFunction.EUCLIDEAN;
      default -> throw new Embed4jException.InvalidInput("model " + m.describe() + " uses " + m.similarity()
          + " similarity, which Lucene's vector index does not support (cosine, dot and euclidean are)");
    };
  }

  /** Undoes Lucene's mapping of similarities to non-negative scores, giving what the model's similarity function returns. */
  static double toModelScore(VectorSimilarityFunction f, float score) {
    return switch (f) {
      case DOT_PRODUCT, COSINE -> 2.0 * score - 1.0;                   // score = (1 + cos) / 2
      case MAXIMUM_INNER_PRODUCT -> score < 1 ? 1 - 1.0 / score : score - 1; // score = 1/(1-dot) or dot+1
      case EUCLIDEAN -> -Math.sqrt(Math.max(0, 1.0 / score - 1));      // score = 1 / (1 + d^2); report -d
    };
  }
}

package io.embed4j.eval.retrieval;

import io.embed4j.encode.Precision;
import io.embed4j.encode.Quantizer;
import io.embed4j.eval.metrics.ScoredDoc;
import io.embed4j.vector.SimilarityFunction;
import java.util.List;

/**
 * Exact search over int8 (or uint8) codes: ranges calibrated per dimension on the corpus, queries
 * quantized with the same ranges, the similarity function applied to the integer values.
 */
public final class Int8Retriever implements Retriever {
  private final Precision precision;
  private final float[][] ranges;
  private final ExactRetriever exact;

  public Int8Retriever(List<String> docIds, float[][] docVectors, SimilarityFunction similarity, Precision precision) {
    this.precision = precision;
    this.ranges = Quantizer.ranges(docVectors);
    this.exact = new ExactRetriever(docIds, QuantizedVectors.integerValues(docVectors, precision, ranges), similarity);
  }

  @Override
  public List<ScoredDoc> search(float[] queryVector, String queryText, int k) {
    float[] q = QuantizedVectors.integerValues(new float[][] {queryVector}, precision, ranges)[0];
    return exact.search(q, queryText, k);
  }
}

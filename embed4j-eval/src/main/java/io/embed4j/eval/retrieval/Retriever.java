package io.embed4j.eval.retrieval;

import io.embed4j.eval.metrics.ScoredDoc;
import io.embed4j.vector.SimilarityFunction;
import java.util.List;

/**
 * Finds the documents of a corpus most similar to a query. The retrieval evaluator measures whatever
 * implementation it is given; {@link ExactRetriever} (brute force) is the default and the reference.
 * An approximate index plugs in through a {@link Factory}.
 */
public interface Retriever extends AutoCloseable {
  /**
   * The {@code k} best documents for a query, best first. Implementations get both the query's
   * vector and its text, so lexical or hybrid retrievers fit the same seam.
   */
  List<ScoredDoc> search(float[] queryVector, String queryText, int k);

  @Override
  default void close() {}

  /** Builds a retriever over a corpus: ids, texts and float vectors in the same order. */
  @FunctionalInterface
  interface Factory {
    Retriever build(List<String> docIds, List<String> docTexts, float[][] docVectors, SimilarityFunction similarity);

    /**
     * Whether the retrievers need the corpus embedded by the evaluator. A retriever over an index
     * built beforehand ({@code eval retrieval --index}) does not, and then gets an empty array.
     */
    default boolean needsCorpusVectors() {
      return true;
    }

    /** Brute-force search over the float vectors. */
    Factory EXACT = (ids, texts, vectors, similarity) -> new ExactRetriever(ids, vectors, similarity);
  }
}

package io.embed4j.cli.search;

import io.embed4j.eval.metrics.ScoredDoc;
import io.embed4j.eval.retrieval.Retriever;
import io.embed4j.index.SearchOptions;
import io.embed4j.index.SemanticIndex;
import io.embed4j.index.store.SearchMode;
import io.embed4j.vector.SimilarityFunction;
import java.util.ArrayList;
import java.util.List;

/**
 * embed4j-eval's {@link Retriever} seam over a search index built beforehand ({@code embed4j index
 * --beir}): {@code eval retrieval --index} measures every search mode with the evaluator's own
 * metrics. The corpus is not embedded again; a document's best chunk stands for it.
 */
public final class IndexRetriever implements Retriever {
  private final SemanticIndex index;
  private final SearchMode mode;
  private final SearchOptions options;

  private IndexRetriever(SemanticIndex index, SearchMode mode, SearchOptions options) {
    this.index = index;
    this.mode = mode;
    this.options = options;
  }

  /** A factory that ignores the (empty) corpus it is handed and searches {@code index}. */
  public static Retriever.Factory factory(SemanticIndex index, SearchMode mode, SearchOptions options) {
    return new Retriever.Factory() {
      @Override
      public Retriever build(List<String> docIds, List<String> docTexts, float[][] docVectors, SimilarityFunction similarity) {
        return new IndexRetriever(index, mode, options);
      }

      @Override
      public boolean needsCorpusVectors() {
        return false;
      }
    };
  }

  @Override
  public List<ScoredDoc> search(float[] queryVector, String queryText, int k) {
    List<ScoredDoc> out = new ArrayList<>(k);
    for (SemanticIndex.ScoredDocument d : index.retrieve(queryText, queryVector, k, mode, options)) {
      out.add(new ScoredDoc(d.id(), d.score()));
    }
    return out;
  }
}

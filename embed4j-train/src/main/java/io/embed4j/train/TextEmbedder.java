package io.embed4j.train;

import java.util.List;

/** Embeds texts for evaluation and mining: queries with the query prompt, documents with the document prompt. */
public interface TextEmbedder {
  float[][] embedQueries(List<String> queries);

  float[][] embedDocuments(List<String> documents);

  /** Width of the embeddings. */
  int dimensions();
}

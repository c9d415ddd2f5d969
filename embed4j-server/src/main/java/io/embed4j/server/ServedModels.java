package io.embed4j.server;

import io.embed4j.EmbeddingModel;
import io.embed4j.sparse.SparseEncoder;
import java.util.Objects;

/**
 * What one server serves: an embedding model (OpenAI's and TEI's embedding routes), and optionally a
 * reranker ({@code /rerank}) and a sparse model ({@code /embed_sparse}). The caller keeps owning them.
 *
 * @param embedding the embedding model; required
 * @param reranker the cross-encoder for /rerank, or null (the route answers 424)
 * @param sparse the SPLADE model for /embed_sparse, or null (the route answers 424)
 */
public record ServedModels(EmbeddingModel embedding, Reranker reranker, SparseEncoder sparse) {
  public ServedModels {
    Objects.requireNonNull(embedding, "embedding model");
  }

  public static ServedModels of(EmbeddingModel embedding) {
    return new ServedModels(embedding, null, null);
  }
}

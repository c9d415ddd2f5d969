package io.embed4j.index.store;

import io.embed4j.index.chunk.Chunk;
import io.embed4j.sparse.SparseVector;

/**
 * A chunk ready for a store: where it came from, its text and position, and its embedding.
 *
 * @param sourceId the {@link SourceRecord#id()} it belongs to
 * @param path the file it came from
 * @param ordinal its position among the source's chunks, from 0
 * @param format the source's format
 * @param chunk text, heading, lines, offsets, record and metadata
 * @param vector the document embedding of {@link Chunk#embeddingText()}
 * @param sparse its SPLADE vector when the store holds sparse vectors ({@link SearchStore#sparseModel()}), else null
 */
public record ChunkRecord(String sourceId, String path, int ordinal, String format, Chunk chunk, float[] vector, SparseVector sparse) {

  /** A chunk with a dense vector only. */
  public ChunkRecord(String sourceId, String path, int ordinal, String format, Chunk chunk, float[] vector) {
    this(sourceId, path, ordinal, format, chunk, vector, null);
  }
}

package io.embed4j.sparse;

import io.embed4j.encode.EncodeStats;

/**
 * Sparse vectors of one call, in input order, with what the call did.
 *
 * @param vectors one per input text
 * @param stats texts, tokens, padding, batches and time
 */
public record SparseEmbeddings(SparseVector[] vectors, EncodeStats stats) {}

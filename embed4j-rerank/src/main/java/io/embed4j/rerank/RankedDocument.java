package io.embed4j.rerank;

/**
 * One document of a reranked list.
 *
 * @param index position of the document in the list given to {@link CrossEncoder#rank}
 * @param score the cross-encoder's score for (query, document), after the model's activation
 */
public record RankedDocument(int index, float score) {}

package io.embed4j.eval.metrics;

/** One retrieved document: its corpus id and score (higher is better). */
public record ScoredDoc(String docId, double score) {}

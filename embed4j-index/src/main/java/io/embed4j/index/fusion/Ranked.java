package io.embed4j.index.fusion;

/** An item of a ranking and its score (higher is better). */
public record Ranked<K>(K key, double score) {}

package io.embed4j.index.store;

import io.embed4j.Embed4jException;
import java.util.Arrays;
import java.util.Locale;

/** How a query is matched against the chunks. */
public enum SearchMode {
  /** Dense and BM25 rankings fused (reciprocal rank fusion by default). */
  HYBRID,
  /** Approximate nearest neighbours on the HNSW graph (quantized vectors rescored with full precision). */
  DENSE,
  /** Brute-force similarity against every vector: the reference the approximate modes are measured against. */
  EXACT,
  /** Lexical BM25 over the analyzed chunk text and its heading. */
  BM25;

  /** Whether the mode needs a query vector (and so the model). */
  public boolean needsVector() {
    return this != BM25;
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SearchMode parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Embed4jException.InvalidInput("unknown search mode '" + name + "'; valid: "
          + String.join(", ", Arrays.stream(values()).map(SearchMode::cliName).toList()));
    }
  }
}

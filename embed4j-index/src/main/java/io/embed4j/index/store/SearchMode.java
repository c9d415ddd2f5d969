package io.embed4j.index.store;

import io.embed4j.Embed4jException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How a query is matched against the chunks. */
public enum SearchMode {
  /** Several rankings fused (dense and BM25 by default; any two or three of dense, sparse and BM25). */
  HYBRID,
  /** Approximate nearest neighbours on the HNSW graph (quantized vectors rescored with full precision). */
  DENSE,
  /** Brute-force similarity against every vector: the reference the approximate modes are measured against. */
  EXACT,
  /** Lexical BM25 over the analyzed chunk text and its heading. */
  BM25,
  /** Learned sparse (SPLADE) vectors: the dot product of the query's and the chunk's, over shared vocabulary terms. */
  SPARSE;

  /** What hybrid fuses unless told otherwise. */
  public static final List<SearchMode> DEFAULT_FUSED = List.of(DENSE, BM25);

  /** The rankings hybrid can fuse. */
  public static final List<SearchMode> FUSABLE = List.of(DENSE, SPARSE, BM25);

  /** Whether the mode needs a dense query vector (and so the model); hybrid: when it fuses dense (see {@link SearchRequest}). */
  public boolean needsVector() {
    return this != BM25 && this != SPARSE;
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

  /** A comma-separated list of rankings for hybrid ({@code dense,sparse,bm25}): two or three distinct ones. */
  public static List<SearchMode> parseFused(String list) {
    List<SearchMode> out = new ArrayList<>();
    for (String part : list.split(",")) {
      SearchMode m;
      try {
        m = valueOf(part.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        m = null;
      }
      if (m == null || !FUSABLE.contains(m)) {
        throw new Embed4jException.InvalidInput("--fuse: unknown ranking '" + part.trim() + "'; valid: dense, sparse, bm25");
      }
      if (out.contains(m)) {
        throw new Embed4jException.InvalidInput("--fuse names " + m.cliName() + " twice: " + list);
      }
      out.add(m);
    }
    requireFusable(out);
    return List.copyOf(out);
  }

  /** Refuses lists hybrid cannot fuse: fewer than two, or a ranking other than dense, sparse or BM25. */
  public static void requireFusable(List<SearchMode> fused) {
    if (fused.size() < 2 || !FUSABLE.containsAll(fused) || fused.stream().distinct().count() != fused.size()) {
      throw new Embed4jException.InvalidInput("hybrid fuses two or three distinct rankings of dense, sparse and bm25; got "
          + fused.stream().map(SearchMode::cliName).toList());
    }
  }
}

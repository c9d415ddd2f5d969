package io.embed4j.index.fusion;

import io.embed4j.Embed4jException;
import java.util.List;
import java.util.Locale;

/**
 * Merges several rankings of the same items (dense and BM25 for hybrid search) into one.
 * Implementations are pure functions of the rankings, testable without an index.
 */
public interface Fusion {
  /** Rankings are best first; the result is best first, at most {@code topN} long. */
  <K> List<Ranked<K>> fuse(List<List<Ranked<K>>> rankings, int topN);

  /** Reciprocal rank fusion with the usual constant 60. */
  Fusion RRF = new ReciprocalRankFusion(ReciprocalRankFusion.DEFAULT_K);

  /** {@code rrf} or {@code weighted}; {@code denseWeight} is the weight of the first ranking for {@code weighted}. */
  static Fusion parse(String name, double denseWeight) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "rrf" -> RRF;
      case "weighted" -> new WeightedScoreFusion(List.of(denseWeight, 1 - denseWeight));
      default -> throw new Embed4jException.InvalidInput("unknown fusion '" + name + "'; valid: rrf, weighted");
    };
  }
}

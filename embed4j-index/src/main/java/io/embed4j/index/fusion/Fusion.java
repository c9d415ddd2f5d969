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

  /**
   * {@code rrf} or {@code weighted} over {@code rankings} rankings: {@code weights} (one per ranking,
   * in the order fused) for {@code weighted}, or equal weights when null or empty.
   */
  static Fusion parse(String name, List<Double> weights, int rankings) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (!n.equals("weighted")) {
      return parse(n, 0.5);
    }
    if (weights == null || weights.isEmpty()) {
      return new WeightedScoreFusion(java.util.Collections.nCopies(rankings, 1.0 / rankings));
    }
    if (weights.size() != rankings) {
      throw new Embed4jException.InvalidInput("--weights gives " + weights.size() + " weight(s) for " + rankings + " fused rankings");
    }
    try {
      return new WeightedScoreFusion(weights);
    } catch (IllegalArgumentException e) {
      throw new Embed4jException.InvalidInput("--weights: " + e.getMessage());
    }
  }
}

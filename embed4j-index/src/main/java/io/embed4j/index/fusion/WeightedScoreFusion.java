package io.embed4j.index.fusion;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Convex combination of min-max normalized scores: each ranking's scores are mapped to [0, 1]
 * (its best to 1, its worst to 0; all to 1 when they are equal), an item missing from a ranking
 * gets 0 there, and the fused score is {@code sum of weight_i * normalized_i}.
 */
public final class WeightedScoreFusion implements Fusion {
  private final List<Double> weights;

  public WeightedScoreFusion(List<Double> weights) {
    for (double w : weights) {
      if (!(w >= 0 && w <= 1)) {
        throw new IllegalArgumentException("fusion weights must be in [0, 1], got " + weights);
      }
    }
    this.weights = List.copyOf(weights);
  }

  @Override
  public <K> List<Ranked<K>> fuse(List<List<Ranked<K>>> rankings, int topN) {
    if (rankings.size() != weights.size()) {
      throw new IllegalArgumentException(rankings.size() + " rankings but " + weights.size() + " weights");
    }
    Map<K, Double> scores = new LinkedHashMap<>();
    for (int i = 0; i < rankings.size(); i++) {
      List<Ranked<K>> ranking = rankings.get(i);
      if (ranking.isEmpty()) {
        continue;
      }
      double max = Double.NEGATIVE_INFINITY;
      double min = Double.POSITIVE_INFINITY;
      for (Ranked<K> r : ranking) {
        max = Math.max(max, r.score());
        min = Math.min(min, r.score());
      }
      double w = weights.get(i);
      for (Ranked<K> r : ranking) {
        double norm = max > min ? (r.score() - min) / (max - min) : 1.0;
        scores.merge(r.key(), w * norm, Double::sum);
      }
      // Items only other rankings found still enter with 0 from this one.
    }
    return ReciprocalRankFusion.top(scores, topN);
  }

  @Override
  public String toString() {
    return "weighted" + weights;
  }
}

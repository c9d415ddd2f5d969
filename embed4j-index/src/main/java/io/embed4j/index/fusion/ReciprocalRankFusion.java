package io.embed4j.index.fusion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): an item scores
 * {@code sum over rankings of 1 / (k + rank)}, rank from 1. It needs no score calibration, which
 * is why it is the default for mixing BM25 and cosine scores. Ties go to the item ranked first in
 * an earlier ranking.
 */
public final class ReciprocalRankFusion implements Fusion {
  public static final int DEFAULT_K = 60;
  private final int k;

  public ReciprocalRankFusion(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("RRF constant k must be >= 1, got " + k);
    }
    this.k = k;
  }

  @Override
  public <K> List<Ranked<K>> fuse(List<List<Ranked<K>>> rankings, int topN) {
    Map<K, Double> scores = new LinkedHashMap<>();
    for (List<Ranked<K>> ranking : rankings) {
      for (int r = 0; r < ranking.size(); r++) {
        scores.merge(ranking.get(r).key(), 1.0 / (k + r + 1), Double::sum);
      }
    }
    return top(scores, topN);
  }

  /** Best first, stable for ties (first-seen order), cut to {@code topN}. */
  static <K> List<Ranked<K>> top(Map<K, Double> scores, int topN) {
    List<Ranked<K>> out = new ArrayList<>(scores.size());
    scores.forEach((key, s) -> out.add(new Ranked<>(key, s)));
    out.sort((a, b) -> Double.compare(b.score(), a.score()));
    return out.size() > topN ? new ArrayList<>(out.subList(0, topN)) : out;
  }

  @Override
  public String toString() {
    return "rrf(k=" + k + ")";
  }
}

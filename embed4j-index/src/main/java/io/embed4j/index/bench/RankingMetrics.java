package io.embed4j.index.bench;

import java.util.List;
import java.util.Map;

/**
 * nDCG@k and recall@k as trec_eval and BEIR compute them: linear gains (the grade), log2 discounts,
 * the ideal ranking from all judged documents with grade > 0; grade 0 counts as not relevant.
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  public static double ndcg(List<String> ranked, Map<String, Integer> judged, int k) {
    double dcg = 0;
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      int g = judged.getOrDefault(ranked.get(i), 0);
      if (g > 0) {
        dcg += g / log2(i + 2);
      }
    }
    int[] ideal = judged.values().stream().filter(g -> g > 0).sorted((a, b) -> b - a).mapToInt(Integer::intValue).toArray();
    double idcg = 0;
    for (int i = 0; i < Math.min(k, ideal.length); i++) {
      idcg += ideal[i] / log2(i + 2);
    }
    return idcg == 0 ? 0 : dcg / idcg;
  }

  public static double recall(List<String> ranked, Map<String, Integer> judged, int k) {
    long relevant = judged.values().stream().filter(g -> g > 0).count();
    if (relevant == 0) {
      return 0;
    }
    long found = ranked.stream().limit(k).filter(d -> judged.getOrDefault(d, 0) > 0).count();
    return (double) found / relevant;
  }

  /** Share of the reference's top k that the approximate top k found (the usual ANN recall). */
  public static double overlap(List<?> approximate, List<?> reference, int k) {
    List<?> ref = reference.subList(0, Math.min(k, reference.size()));
    if (ref.isEmpty()) {
      return 1;
    }
    long hit = approximate.stream().limit(k).filter(ref::contains).count();
    return (double) hit / ref.size();
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}

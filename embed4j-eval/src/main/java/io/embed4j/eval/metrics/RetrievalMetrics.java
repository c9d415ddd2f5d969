package io.embed4j.eval.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ranking metrics with trec_eval's definitions, as pytrec_eval computes them for BEIR and MTEB, and
 * MTEB's key names. Pure arithmetic on ids and scores: no model involved.
 *
 * <p>For one query, with its run sorted by {@link TrecOrder} and judgements {@code rel(d)} (0 when
 * unjudged), {@code R} = number of judged documents with {@code rel >= 1}:
 * <ul>
 *   <li>{@code ndcg_at_k} ({@code ndcg_cut.k}): {@code DCG@k / IDCG@k}, gain = the graded relevance
 *       itself (not {@code 2^rel - 1}), discount {@code log2(rank + 1)}; IDCG from the judgements
 *       sorted by grade. 0 when IDCG is 0.
 *   <li>{@code map_at_k} ({@code map_cut.k}): sum over relevant documents at ranks {@code r <= k} of
 *       precision at {@code r}, divided by {@code R} (not by {@code min(k, R)}).
 *   <li>{@code recall_at_k} ({@code recall.k}): relevant documents in the top k over {@code R}.
 *   <li>{@code precision_at_k} ({@code P.k}): relevant documents in the top k over k, even when the
 *       run has fewer than k documents.
 *   <li>{@code mrr_at_k}: 1 / rank of the first relevant document within the top k, else 0.
 * </ul>
 * A document whose id equals the query id is dropped from the run first (BEIR's
 * {@code ignore_identical_ids}). Means are taken over the queries with {@code R > 0}; a query with
 * judgements but no run counts as all zeros (trec_eval's {@code -c}); a run for a query without
 * judgements is ignored.
 */
public final class RetrievalMetrics {
  /** MTEB's retrieval cutoffs. */
  public static final int[] DEFAULT_CUTOFFS = {1, 3, 5, 10, 20, 100, 1000};
  static final String[] MEASURES = {"ndcg_at_", "map_at_", "recall_at_", "precision_at_", "mrr_at_"};

  private RetrievalMetrics() {}

  /** Mean of each measure at each cutoff, in MTEB's key names, over the queries with a relevant document. */
  public static Map<String, Double> mean(Map<String, Map<String, Integer>> qrels, Map<String, List<ScoredDoc>> run, int[] cutoffs) {
    checkCutoffs(cutoffs);
    Map<String, Double> sums = new LinkedHashMap<>();
    for (String m : MEASURES) {
      for (int k : cutoffs) {
        sums.put(m + k, 0.0);
      }
    }
    int queries = 0;
    for (var e : qrels.entrySet()) {
      if (relevantCount(e.getValue()) == 0) {
        continue;
      }
      queries++;
      List<ScoredDoc> hits = run.getOrDefault(e.getKey(), List.of());
      perQuery(e.getKey(), e.getValue(), hits, cutoffs).forEach((key, v) -> sums.merge(key, v, Double::sum));
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (var e : sums.entrySet()) {
      out.put(e.getKey(), queries == 0 ? 0.0 : e.getValue() / queries);
    }
    return out;
  }

  /** Every measure at every cutoff for one query; {@code hits} in any order. */
  public static Map<String, Double> perQuery(String queryId, Map<String, Integer> judgements, List<ScoredDoc> hits, int[] cutoffs) {
    checkCutoffs(cutoffs);
    List<ScoredDoc> ranked = new ArrayList<>(hits.size());
    for (ScoredDoc h : hits) {
      if (!h.docId().equals(queryId)) {
        ranked.add(h);
      }
    }
    ranked.sort(TrecOrder.RANKING);
    int[] rel = new int[ranked.size()];
    for (int i = 0; i < rel.length; i++) {
      rel[i] = judgements.getOrDefault(ranked.get(i).docId(), 0);
    }
    int numRel = relevantCount(judgements);
    int[] ideal = judgements.values().stream().filter(g -> g > 0).sorted((a, b) -> Integer.compare(b, a)).mapToInt(Integer::intValue).toArray();

    Map<String, Double> out = new LinkedHashMap<>();
    for (int k : cutoffs) {
      double dcg = 0;
      double idcg = 0;
      double apSum = 0;
      int relSoFar = 0;
      double rr = 0;
      for (int i = 0; i < Math.min(k, rel.length); i++) {
        if (rel[i] > 0) {
          dcg += rel[i] / log2(i + 2);
        }
        if (rel[i] >= 1) {
          relSoFar++;
          apSum += (double) relSoFar / (i + 1);
          if (rr == 0) {
            rr = 1.0 / (i + 1);
          }
        }
      }
      for (int i = 0; i < Math.min(k, ideal.length); i++) {
        idcg += ideal[i] / log2(i + 2);
      }
      out.put("ndcg_at_" + k, idcg > 0 ? dcg / idcg : 0.0);
      out.put("map_at_" + k, numRel > 0 ? apSum / numRel : 0.0);
      out.put("recall_at_" + k, numRel > 0 ? (double) relSoFar / numRel : 0.0);
      out.put("precision_at_" + k, (double) relSoFar / k);
      out.put("mrr_at_" + k, rr);
    }
    // Reorder by measure, then cutoff, to match mean()'s key order.
    Map<String, Double> ordered = new LinkedHashMap<>();
    for (String m : MEASURES) {
      for (int k : cutoffs) {
        ordered.put(m + k, out.get(m + k));
      }
    }
    return ordered;
  }

  /** Judged documents with a grade of at least 1 (trec_eval's relevance level). */
  static int relevantCount(Map<String, Integer> judgements) {
    int n = 0;
    for (int g : judgements.values()) {
      if (g >= 1) {
        n++;
      }
    }
    return n;
  }

  private static double log2(int x) {
    return Math.log(x) / Math.log(2);
  }

  private static void checkCutoffs(int[] cutoffs) {
    if (cutoffs.length == 0) {
      throw new IllegalArgumentException("at least one cutoff k is needed");
    }
    int[] sorted = cutoffs.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      if (sorted[i] < 1) {
        throw new IllegalArgumentException("cutoffs must be >= 1, got " + sorted[i]);
      }
      if (i > 0 && sorted[i] == sorted[i - 1]) {
        throw new IllegalArgumentException("cutoff " + sorted[i] + " is given twice");
      }
    }
  }
}

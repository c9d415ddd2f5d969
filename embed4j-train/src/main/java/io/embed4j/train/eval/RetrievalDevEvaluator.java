package io.embed4j.train.eval;

import io.embed4j.train.TextEmbedder;
import io.embed4j.train.data.BeirData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Retrieval on a BEIR split during training: nDCG@10 (linear gain, as pytrec_eval), recall@10 and
 * MRR@10 by exact cosine search. To stay cheap between steps it may search a sub-corpus: every
 * judged document plus a fixed random sample of the rest, up to {@code corpusLimit} (0 = all), so
 * scores run higher than on the full corpus; the final score comes from {@code embed4j eval}.
 */
public final class RetrievalDevEvaluator implements DevEvaluator {
  private final BeirData data;
  private final List<String> queryIds;
  private final List<String> docIds;

  public RetrievalDevEvaluator(BeirData data, int corpusLimit, long seed) {
    this.data = data;
    this.queryIds = List.copyOf(data.queries().keySet());
    Set<String> judged = new HashSet<>();
    for (Map<String, Integer> q : data.qrels().values()) {
      judged.addAll(q.keySet());
    }
    List<String> docs = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (String id : data.corpus().keySet()) {
      (judged.contains(id) ? docs : rest).add(id);
    }
    if (corpusLimit <= 0 || docs.size() + rest.size() <= corpusLimit) {
      docs.addAll(rest);
    } else {
      Collections.shuffle(rest, new Random(seed));
      docs.addAll(rest.subList(0, Math.max(0, corpusLimit - docs.size())));
    }
    this.docIds = List.copyOf(docs);
  }

  public int corpusSize() {
    return docIds.size();
  }

  @Override
  public String primaryMetric() {
    return "ndcg@10";
  }

  @Override
  public Map<String, Double> evaluate(TextEmbedder embedder) {
    List<String> qTexts = queryIds.stream().map(data.queries()::get).toList();
    List<String> dTexts = docIds.stream().map(data.corpus()::get).toList();
    float[][] q = embedder.embedQueries(qTexts);
    float[][] d = embedder.embedDocuments(dTexts);
    normalize(q);
    normalize(d);
    double ndcg = 0;
    double recall = 0;
    double mrr = 0;
    for (int i = 0; i < q.length; i++) {
      int[] top = top(q[i], d, 10);
      List<String> ranked = new ArrayList<>(top.length);
      for (int t : top) {
        ranked.add(docIds.get(t));
      }
      Map<String, Integer> rel = data.qrels().get(queryIds.get(i));
      ndcg += ndcgAt(ranked, rel, 10);
      recall += recallAt(ranked, rel, 10);
      mrr += mrrAt(ranked, rel, 10);
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("ndcg@10", ndcg / q.length);
    out.put("recall@10", recall / q.length);
    out.put("mrr@10", mrr / q.length);
    return out;
  }

  private static void normalize(float[][] vs) {
    for (float[] v : vs) {
      double n = 0;
      for (float x : v) {
        n += x * x;
      }
      float s = (float) (1 / Math.max(Math.sqrt(n), 1e-12));
      for (int k = 0; k < v.length; k++) {
        v[k] *= s;
      }
    }
  }

  // Indices of the k highest dot products; ties keep the lower index first.
  static int[] top(float[] q, float[][] docs, int k) {
    int n = Math.min(k, docs.length);
    int[] best = new int[n];
    float[] scores = new float[n];
    Arrays.fill(scores, Float.NEGATIVE_INFINITY);
    for (int j = 0; j < docs.length; j++) {
      float s = 0;
      float[] d = docs[j];
      for (int h = 0; h < d.length; h++) {
        s += q[h] * d[h];
      }
      if (s > scores[n - 1]) {
        int pos = n - 1;
        while (pos > 0 && scores[pos - 1] < s) {
          scores[pos] = scores[pos - 1];
          best[pos] = best[pos - 1];
          pos--;
        }
        scores[pos] = s;
        best[pos] = j;
      }
    }
    return best;
  }

  /** nDCG@k with linear gain; the ideal ranking uses every judged document with relevance > 0. */
  public static double ndcgAt(List<String> ranked, Map<String, Integer> relevance, int k) {
    double dcg = 0;
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      int r = relevance.getOrDefault(ranked.get(i), 0);
      if (r > 0) {
        dcg += r / log2(i + 2);
      }
    }
    int[] ideal = relevance.values().stream().filter(r -> r > 0).mapToInt(Integer::intValue).sorted().toArray();
    double idcg = 0;
    for (int i = 0; i < Math.min(k, ideal.length); i++) {
      idcg += ideal[ideal.length - 1 - i] / log2(i + 2);
    }
    return idcg == 0 ? 0 : dcg / idcg;
  }

  static double recallAt(List<String> ranked, Map<String, Integer> relevance, int k) {
    long relevant = relevance.values().stream().filter(r -> r > 0).count();
    if (relevant == 0) {
      return 0;
    }
    long hit = ranked.stream().limit(k).filter(d -> relevance.getOrDefault(d, 0) > 0).count();
    return (double) hit / relevant;
  }

  static double mrrAt(List<String> ranked, Map<String, Integer> relevance, int k) {
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      if (relevance.getOrDefault(ranked.get(i), 0) > 0) {
        return 1.0 / (i + 1);
      }
    }
    return 0;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}

package io.embed4j.eval.retrieval;

import io.embed4j.eval.Progress;
import io.embed4j.eval.data.BeirDataset;
import io.embed4j.eval.metrics.RetrievalMetrics;
import io.embed4j.eval.metrics.ScoredDoc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Evaluates several rerank settings (how many candidates, how the scores are fused) over one
 * first-stage run while scoring each (query, candidate) pair once: the best {@code max(tops)}
 * candidates of each query are scored, in slices cut at each top (ranks 0..50, then 50..100 for tops
 * 50 and 100), so the time spent up to a top is what reranking that many candidates costs.
 */
public final class RerankGrid {
  /** Orders a query's candidates from the first stage's scores and the reranker's. */
  public interface Fusion {
    String label();

    /** Fused scores; both arrays hold the candidates in first-stage order, best first. */
    double[] fuse(double[] first, float[] reranker);
  }

  /** One setting: rerank the best {@code top} candidates, ordered by {@code fusion}. */
  public record Setting(int top, Fusion fusion) {
    public String label() {
      return "rerank@" + top + " " + fusion.label();
    }
  }

  /** One setting's metrics (flat, MTEB's keys plus {@code main_score}) and ranking. */
  public record Outcome(Setting setting, Map<String, Double> metrics, Map<String, List<ScoredDoc>> run) {}

  /**
   * What the grid measured.
   *
   * @param outcomes one per (top, fusion), tops in the order given, fusions within each
   * @param millisPerQuery mean time to score a query's best {@code top} candidates, per top
   * @param queries queries reranked
   * @param pairs (query, document) pairs scored, once each
   * @param seconds total scoring time
   */
  public record Result(List<Outcome> outcomes, Map<Integer, Double> millisPerQuery, long queries, long pairs, double seconds) {}

  private RerankGrid() {}

  /**
   * @param data the data set the first run came from (query and document texts, qrels)
   * @param firstRun each query's first-stage hits, best first
   * @param scorer the reranker
   * @param tops how many candidates to rerank, each >= 1
   * @param fusions how to order them
   * @param cutoffs the k of the @k metrics
   */
  public static Result evaluate(BeirDataset data, Map<String, List<ScoredDoc>> firstRun, RerankingRetriever.PairScorer scorer,
      List<Integer> tops, List<? extends Fusion> fusions, int[] cutoffs, Progress progress) {
    if (tops.isEmpty() || fusions.isEmpty()) {
      throw new IllegalArgumentException("need at least one top and one fusion");
    }
    TreeSet<Integer> slices = new TreeSet<>(tops);
    if (slices.first() < 1) {
      throw new IllegalArgumentException("rerank top must be >= 1, got " + slices.first());
    }
    int maxTop = slices.last();
    Map<String, String> docTexts = new HashMap<>(data.docIds().size() * 2);
    for (int i = 0; i < data.docIds().size(); i++) {
      docTexts.put(data.docIds().get(i), data.docTexts().get(i));
    }
    Map<String, String> queryTexts = new HashMap<>();
    for (int i = 0; i < data.queryIds().size(); i++) {
      queryTexts.put(data.queryIds().get(i), data.queryTexts().get(i));
    }

    Map<String, float[]> scores = new LinkedHashMap<>();
    Map<Integer, Long> nanosUpTo = new LinkedHashMap<>();
    long pairs = 0;
    long total = 0;
    try (Progress.Step step = progress.start("rerank", firstRun.size())) {
      for (Map.Entry<String, List<ScoredDoc>> q : firstRun.entrySet()) {
        List<ScoredDoc> hits = q.getValue();
        int n = Math.min(maxTop, hits.size());
        float[] s = new float[n];
        long elapsed = 0;
        int from = 0;
        for (int top : slices) {
          int to = Math.min(top, n);
          if (to > from) {
            List<String> docs = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
              docs.add(docTexts.get(hits.get(i).docId()));
            }
            long t0 = System.nanoTime();
            float[] part = scorer.score(queryTexts.get(q.getKey()), docs);
            elapsed += System.nanoTime() - t0;
            if (part.length != to - from) {
              throw new IllegalStateException("the reranker scored " + part.length + " of " + (to - from) + " documents");
            }
            System.arraycopy(part, 0, s, from, part.length);
            from = to;
          }
          nanosUpTo.merge(top, elapsed, Long::sum);
        }
        scores.put(q.getKey(), s);
        pairs += n;
        total += elapsed;
        step.advance(1);
      }
    }

    List<Outcome> outcomes = new ArrayList<>();
    for (int top : tops) {
      for (Fusion f : fusions) {
        Map<String, List<ScoredDoc>> run = new LinkedHashMap<>();
        for (Map.Entry<String, List<ScoredDoc>> q : firstRun.entrySet()) {
          float[] s = scores.get(q.getKey());
          int n = Math.min(top, s.length);
          run.put(q.getKey(), reorder(q.getValue(), f, java.util.Arrays.copyOf(s, n)));
        }
        Map<String, Double> m = new LinkedHashMap<>(RetrievalMetrics.mean(data.qrels(), run, cutoffs));
        m.put("main_score", m.get("ndcg_at_10"));
        outcomes.add(new Outcome(new Setting(top, f), m, run));
      }
    }
    Map<Integer, Double> ms = new LinkedHashMap<>();
    for (int top : slices) {
      ms.put(top, firstRun.isEmpty() ? 0 : nanosUpTo.get(top) / 1e6 / firstRun.size());
    }
    return new Result(outcomes, ms, firstRun.size(), pairs, total / 1e9);
  }

  /**
   * The first {@code reranker.length} hits ordered by their fused score (trec_eval's tie order),
   * then the rest in first-stage order, each scored below every reranked hit.
   */
  static List<ScoredDoc> reorder(List<ScoredDoc> hits, Fusion fusion, float[] reranker) {
    int n = reranker.length;
    double[] first = new double[n];
    for (int i = 0; i < n; i++) {
      first[i] = hits.get(i).score();
    }
    double[] fused = n == 0 ? new double[0] : fusion.fuse(first, reranker);
    List<ScoredDoc> out = new ArrayList<>(hits.size());
    double lowest = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      out.add(new ScoredDoc(hits.get(i).docId(), fused[i]));
      lowest = Math.min(lowest, fused[i]);
    }
    out.sort(io.embed4j.eval.metrics.TrecOrder.RANKING);
    for (int i = n; i < hits.size(); i++) {
      out.add(new ScoredDoc(hits.get(i).docId(), lowest - 1 - (i - n)));
    }
    return out;
  }
}

package io.embed4j.eval;

import io.embed4j.eval.metrics.ScoredDoc;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one evaluation measured.
 *
 * @param task "retrieval" or "sts"
 * @param model the model's name
 * @param data the data set's name
 * @param info sizes, timings and throughput shared by all variants ({@code encode_corpus_seconds},
 *     {@code corpus_texts_per_second}, {@code corpus_cache_hit}...)
 * @param scores each variant's metrics, flat, with MTEB's key names and {@code main_score}; in the
 *     order the variants were given, the first being the headline
 * @param run retrieval only: the first variant's ranked documents per query (null for STS)
 */
public record EvalResult(
    String task,
    String model,
    String data,
    Map<String, Double> info,
    Map<VectorVariant, Map<String, Double>> scores,
    Map<String, List<ScoredDoc>> run) {

  public EvalResult {
    if (scores.isEmpty()) {
      throw new IllegalArgumentException("an evaluation needs at least one variant");
    }
    info = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(info));
    scores = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scores));
  }

  /** The headline variant: the first one evaluated. */
  public VectorVariant first() {
    return scores.keySet().iterator().next();
  }

  public double mainScore() {
    return scores.get(first()).get("main_score");
  }

  /** The first variant's metrics followed by {@link #info}: the evaluator's flat result. */
  public Map<String, Double> flat() {
    Map<String, Double> out = new LinkedHashMap<>(scores.get(first()));
    out.putAll(info);
    return out;
  }
}

package io.embed4j.eval;

import io.embed4j.encode.Precision;
import io.embed4j.encode.Quantizer;
import io.embed4j.eval.data.StsDataset;
import io.embed4j.eval.metrics.Correlation;
import io.embed4j.eval.retrieval.QuantizedVectors;
import io.embed4j.vector.SimilarityFunction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Semantic textual similarity, as MTEB's STS evaluator: both sentences of each pair embedded (with the
 * symmetric prompt of {@link TaskPrompts}), compared with cosine, dot, Euclidean and Manhattan
 * similarity, each correlated with the gold scores by Pearson and Spearman. Keys:
 * {@code cosine_spearman}, {@code cosine_pearson}, {@code dot_*}, {@code euclidean_*},
 * {@code manhattan_*}, {@code pearson}/{@code spearman} for the model's own similarity function;
 * {@code main_score} = cosine Spearman. Binary variants have only {@code hamming_*}, which is then
 * the main score.
 */
public final class StsEvaluator {
  private final StsDataset data;

  public StsEvaluator(StsDataset data) {
    this.data = data;
  }

  /** Full-width float32 correlations plus timings: the evaluator's flat result. */
  public Map<String, Double> evaluate(TextEncoder encoder) {
    return evaluate(encoder, List.of(new VectorVariant(encoder.dimensions(), Precision.FLOAT32))).flat();
  }

  public EvalResult evaluate(TextEncoder encoder, List<VectorVariant> variants) {
    if (variants.isEmpty()) {
      throw new IllegalArgumentException("no variants to evaluate");
    }
    for (VectorVariant v : variants) {
      if (v.dimensions() > encoder.dimensions()) {
        throw new io.embed4j.Embed4jException.InvalidInput("dimensions " + v.dimensions() + " exceeds the width of " + encoder.name() + " (" + encoder.dimensions() + ")");
      }
    }
    long started = System.nanoTime();
    // Each distinct sentence is embedded once; pairs index into the unique list.
    Map<String, Integer> index = new HashMap<>();
    List<String> unique = new ArrayList<>();
    int[] left = new int[data.size()];
    int[] right = new int[data.size()];
    for (int i = 0; i < data.size(); i++) {
      left[i] = index.computeIfAbsent(data.sentences1().get(i), s -> { unique.add(s); return unique.size() - 1; });
      right[i] = index.computeIfAbsent(data.sentences2().get(i), s -> { unique.add(s); return unique.size() - 1; });
    }
    TextEncoder.Encoded encoded = encoder.encode(unique, TextEncoder.Role.SYMMETRIC);
    long encodedAt = System.nanoTime();

    Map<VectorVariant, Map<String, Double>> scores = new LinkedHashMap<>();
    for (VectorVariant variant : variants) {
      float[][] all = variant.truncate(encoded.vectors(), encoder.normalizes());
      Map<String, Double> m;
      if (variant.isBinary()) {
        m = binaryScores(data.scores(), all, left, right);
      } else {
        if (variant.precision() != Precision.FLOAT32) {
          all = QuantizedVectors.integerValues(all, variant.precision(), Quantizer.ranges(all));
        }
        m = scores(data.scores(), pick(all, left), pick(all, right), encoder.similarity());
      }
      scores.put(variant, m);
    }

    Map<String, Double> info = new LinkedHashMap<>();
    info.put("pairs", (double) data.size());
    info.put("sentences", (double) unique.size());
    info.put("cache_hit", encoded.cached() ? 1.0 : 0.0);
    info.put("encode_seconds", (encodedAt - started) / 1e9);
    info.put("texts_per_second", RetrievalEvaluator.rate(encoded.stats().texts(), encoded.stats().nanos()));
    info.put("total_seconds", (System.nanoTime() - started) / 1e9);
    return new EvalResult("sts", encoder.name(), data.name(), info, scores, null);
  }

  /**
   * Correlations of gold scores with the four similarities of paired embeddings (pure math, no model).
   * {@code own} names the model's similarity function for the {@code pearson}/{@code spearman} keys.
   */
  public static Map<String, Double> scores(double[] gold, float[][] a, float[][] b, SimilarityFunction own) {
    Map<String, Double> m = new LinkedHashMap<>();
    Map<SimilarityFunction, double[]> sims = new LinkedHashMap<>();
    for (SimilarityFunction f : new SimilarityFunction[] {SimilarityFunction.COSINE, SimilarityFunction.MANHATTAN, SimilarityFunction.EUCLIDEAN, SimilarityFunction.DOT}) {
      double[] s = toDouble(f.pairwise(a, b));
      sims.put(f, s);
      String name = f.configName();
      m.put(name + "_pearson", Correlation.pearson(gold, s));
      m.put(name + "_spearman", Correlation.spearman(gold, s));
    }
    m.put("pearson", Correlation.pearson(gold, sims.get(own)));
    m.put("spearman", Correlation.spearman(gold, sims.get(own)));
    m.put("main_score", m.get("cosine_spearman"));
    return m;
  }

  /** Correlations of gold scores with hamming similarity of the sign bits. */
  static Map<String, Double> binaryScores(double[] gold, float[][] all, int[] left, int[] right) {
    long[][] bits = new long[all.length][];
    for (int i = 0; i < all.length; i++) {
      bits[i] = QuantizedVectors.bits(all[i]);
    }
    int dims = all.length == 0 ? 0 : all[0].length;
    double[] s = new double[left.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = QuantizedVectors.hammingSimilarity(bits[left[i]], bits[right[i]], dims);
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("hamming_pearson", Correlation.pearson(gold, s));
    m.put("hamming_spearman", Correlation.spearman(gold, s));
    m.put("main_score", m.get("hamming_spearman"));
    return m;
  }

  private static float[][] pick(float[][] all, int[] idx) {
    float[][] out = new float[idx.length][];
    for (int i = 0; i < idx.length; i++) {
      out[i] = all[idx[i]];
    }
    return out;
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}

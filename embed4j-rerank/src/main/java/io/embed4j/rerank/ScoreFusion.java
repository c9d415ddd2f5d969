package io.embed4j.rerank;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;

/**
 * How a rerank stage orders its candidates from the first stage's scores and the cross-encoder's.
 * A cross-encoder trained on little data can know less than the bi-encoder that retrieved the
 * candidates; fusing the two keeps what the first stage knew. The weight must be chosen on training
 * or held-out data, never on the test set.
 *
 * <ul>
 *   <li>{@code ce}: the cross-encoder's score alone (the classic rerank);
 *   <li>{@code interpolate:W}: {@code W * minmax(cross-encoder) + (1 - W) * minmax(first stage)}, each
 *       min-max normalized over the candidates of the query ({@code W = 1} is {@code ce}'s order,
 *       {@code W = 0} the first stage's);
 *   <li>{@code rrf[:K]}: reciprocal rank fusion, {@code 1/(K + rank in first stage) + 1/(K + rank by
 *       cross-encoder)}, ranks from 1, K = 60 by default.
 * </ul>
 */
public sealed interface ScoreFusion {
  /**
   * The fused score of each candidate.
   *
   * @param first the first stage's scores, candidates best first
   * @param reranker the cross-encoder's scores of the same candidates, in the same order
   */
  double[] fuse(double[] first, float[] reranker);

  /** The name {@link #parse} reads back. */
  String label();

  /** {@code ce}, {@code interpolate:W} with 0 <= W <= 1, {@code rrf} or {@code rrf:K} with K >= 0. */
  static ScoreFusion parse(String spec) {
    String s = spec.strip().toLowerCase(Locale.ROOT);
    int colon = s.indexOf(':');
    String name = colon < 0 ? s : s.substring(0, colon);
    String arg = colon < 0 ? null : s.substring(colon + 1);
    switch (name) {
      case "ce" -> {
        if (arg == null) {
          return new CrossEncoderOnly();
        }
      }
      case "interpolate" -> {
        if (arg != null) {
          return new Interpolation(number(spec, arg));
        }
        throw new IllegalArgumentException("'" + spec + "' needs a weight: interpolate:W with W in [0, 1], e.g. interpolate:0.3");
      }
      case "rrf" -> {
        return new ReciprocalRank(arg == null ? ReciprocalRank.DEFAULT_K : number(spec, arg));
      }
      default -> { }
    }
    throw new IllegalArgumentException("unknown fusion '" + spec + "'; use ce, interpolate:W (0 <= W <= 1), rrf or rrf:K");
  }

  private static double number(String spec, String arg) {
    try {
      return Double.parseDouble(arg);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + spec + "': '" + arg + "' is not a number");
    }
  }

  /** The cross-encoder's score alone. */
  record CrossEncoderOnly() implements ScoreFusion {
    @Override
    public double[] fuse(double[] first, float[] reranker) {
      check(first, reranker);
      double[] out = new double[reranker.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = reranker[i];
      }
      return out;
    }

    @Override
    public String label() {
      return "ce";
    }
  }

  /** Min-max normalized interpolation; {@code weight} is the cross-encoder's share. */
  record Interpolation(double weight) implements ScoreFusion {
    public Interpolation {
      if (!(weight >= 0 && weight <= 1)) {
        throw new IllegalArgumentException("interpolate weight must be in [0, 1], got " + weight);
      }
    }

    @Override
    public double[] fuse(double[] first, float[] reranker) {
      check(first, reranker);
      double[] ce = new double[reranker.length];
      for (int i = 0; i < ce.length; i++) {
        ce[i] = reranker[i];
      }
      double[] a = minMax(first);
      double[] b = minMax(ce);
      double[] out = new double[a.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = weight * b[i] + (1 - weight) * a[i];
      }
      return out;
    }

    /** (x - min) / (max - min); all zeros when every score is the same, so the other side decides. */
    static double[] minMax(double[] x) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double v : x) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      double[] out = new double[x.length];
      if (hi > lo) {
        for (int i = 0; i < x.length; i++) {
          out[i] = (x[i] - lo) / (hi - lo);
        }
      }
      return out;
    }

    @Override
    public String label() {
      return "interpolate:" + trim(weight);
    }
  }

  /** Reciprocal rank fusion of the first stage's order and the cross-encoder's. */
  record ReciprocalRank(double k) implements ScoreFusion {
    static final double DEFAULT_K = 60;

    public ReciprocalRank {
      if (!(k >= 0)) {
        throw new IllegalArgumentException("rrf k must be >= 0, got " + k);
      }
    }

    @Override
    public double[] fuse(double[] first, float[] reranker) {
      check(first, reranker);
      int n = reranker.length;
      // Cross-encoder ranks; equal scores keep the first stage's order.
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -reranker[i]).thenComparingInt(i -> i));
      double[] out = new double[n];
      for (int r = 0; r < n; r++) {
        out[order[r]] += 1 / (k + r + 1);
      }
      for (int i = 0; i < n; i++) {
        out[i] += 1 / (k + i + 1);
      }
      return out;
    }

    @Override
    public String label() {
      return k == DEFAULT_K ? "rrf" : "rrf:" + trim(k);
    }
  }

  private static void check(double[] first, float[] reranker) {
    if (first.length != reranker.length) {
      throw new IllegalArgumentException(first.length + " first-stage scores but " + reranker.length + " cross-encoder scores");
    }
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}

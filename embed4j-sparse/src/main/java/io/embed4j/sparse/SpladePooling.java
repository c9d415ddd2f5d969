package io.embed4j.sparse;

import java.util.Arrays;
import java.util.Locale;

/**
 * SPLADE's pooling of masked-LM logits {@code [tokens, vocabulary]} into one weight per vocabulary
 * term, as sentence-transformers' {@code SpladePooling} computes it: {@code log(1 + ReLU(x))} per
 * token and term ({@code log1p} applied twice with {@link Activation#LOG1P_RELU}), then the max or the
 * sum over the text's real tokens (attention mask 1, special tokens included).
 *
 * @param strategy max (SPLADE v2 and later) or sum (the original SPLADE)
 * @param activation relu (all SPLADE models) or log1p_relu (OpenSearch's models)
 */
public record SpladePooling(Strategy strategy, Activation activation) {
  /** How token weights combine over a text. */
  public enum Strategy { MAX, SUM }

  /** What comes before the final log1p. */
  public enum Activation { RELU, LOG1P_RELU }

  public SpladePooling {
    if (strategy == null || activation == null) {
      throw new IllegalArgumentException("pooling strategy and activation must not be null");
    }
  }

  /** Max pooling of log(1 + ReLU(x)): SPLADE v2, v3, and most models on the Hub. */
  public static SpladePooling defaults() {
    return new SpladePooling(Strategy.MAX, Activation.RELU);
  }

  /** Parses sentence-transformers' names ({@code "max"}, {@code "log1p_relu"}); {@code what} names the source in errors. */
  public static SpladePooling of(String strategy, String activation, String what) {
    Strategy s;
    Activation a;
    try {
      s = Strategy.valueOf(strategy.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": pooling_strategy '" + strategy + "' is not supported; supported: max, sum");
    }
    try {
      a = Activation.valueOf(activation.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": activation_function '" + activation + "' is not supported; supported: relu, log1p_relu");
    }
    return new SpladePooling(s, a);
  }

  /**
   * Pools row {@code row} of logits laid out {@code [rows, seqLen, vocab]}: its first {@code length}
   * tokens (the rest is padding) into {@code out[vocab]}, one weight per term (>= 0).
   */
  public void pool(float[] logits, int row, int seqLen, int vocab, int length, float[] out) {
    if (out.length != vocab) {
      throw new IllegalArgumentException("output holds " + out.length + " weights, vocabulary has " + vocab);
    }
    if (length > seqLen) {
      throw new IllegalArgumentException("row length " + length + " exceeds the padded length " + seqLen);
    }
    Arrays.fill(out, 0f);
    int base = row * seqLen * vocab;
    if (strategy == Strategy.MAX) {
      // log1p and ReLU are monotonic: the max of the transformed values is the transform of the max,
      // so take the max of the raw logits (floored at 0, the ReLU) and transform once per term.
      for (int t = 0; t < length; t++) {
        int at = base + t * vocab;
        for (int v = 0; v < vocab; v++) {
          out[v] = Math.max(out[v], logits[at + v]);
        }
      }
      for (int v = 0; v < vocab; v++) {
        if (out[v] > 0f) {
          out[v] = transform(out[v]);
        }
      }
    } else {
      double[] sum = new double[vocab];
      for (int t = 0; t < length; t++) {
        int at = base + t * vocab;
        for (int v = 0; v < vocab; v++) {
          float x = logits[at + v];
          if (x > 0f) {
            sum[v] += transform(x);
          }
        }
      }
      for (int v = 0; v < vocab; v++) {
        out[v] = (float) sum[v];
      }
    }
  }

  private float transform(float x) {
    double y = Math.log1p(x);
    return (float) (activation == Activation.LOG1P_RELU ? Math.log1p(y) : y);
  }

  /**
   * The non-zero weights of {@code dense} above {@code threshold}, at most {@code maxActive} of them
   * (the largest; on equal weights the lower index), as a sparse vector with ascending indices.
   */
  public static SparseVector prune(float[] dense, int maxActive, float threshold) {
    int n = 0;
    for (float w : dense) {
      if (w > threshold && w > 0f) {
        n++;
      }
    }
    int[] idx = new int[n];
    int k = 0;
    for (int v = 0; v < dense.length; v++) {
      if (dense[v] > threshold && dense[v] > 0f) {
        idx[k++] = v;
      }
    }
    if (maxActive > 0 && n > maxActive) {
      Integer[] boxed = new Integer[n];
      for (int i = 0; i < n; i++) {
        boxed[i] = idx[i];
      }
      Arrays.sort(boxed, (a, b) -> {
        int c = Float.compare(dense[b], dense[a]);
        return c != 0 ? c : Integer.compare(a, b);
      });
      idx = new int[maxActive];
      for (int i = 0; i < maxActive; i++) {
        idx[i] = boxed[i];
      }
      Arrays.sort(idx);
    }
    float[] values = new float[idx.length];
    for (int i = 0; i < idx.length; i++) {
      values[i] = dense[idx[i]];
    }
    return new SparseVector(idx, values);
  }

  /** The names sentence-transformers writes: {@code "max"}, {@code "relu"}. */
  @Override
  public String toString() {
    return "SpladePooling[" + strategy.name().toLowerCase(Locale.ROOT) + ", " + activation.name().toLowerCase(Locale.ROOT) + "]";
  }
}

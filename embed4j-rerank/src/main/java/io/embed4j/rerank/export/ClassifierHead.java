package io.embed4j.rerank.export;

import io.embed4j.backend.OnnxGraphBuilder;
import java.util.List;
import java.util.Random;

/**
 * A BERT sequence-classification head, as Hugging Face's {@code BertForSequenceClassification} has
 * it: the [CLS] token's hidden state through the pooler ({@code tanh(W_p h + b_p)}) and a linear
 * classifier to one logit per label. Weights in Hugging Face layout ({@code [out, in]}, row-major).
 *
 * @param hidden the encoder's hidden size
 * @param labels logits per pair (1 for a reranker)
 * @param poolerWeight {@code bert.pooler.dense.weight} [hidden, hidden]
 * @param poolerBias {@code bert.pooler.dense.bias} [hidden]
 * @param classifierWeight {@code classifier.weight} [labels, hidden]
 * @param classifierBias {@code classifier.bias} [labels]
 */
public record ClassifierHead(int hidden, int labels, float[] poolerWeight, float[] poolerBias, float[] classifierWeight, float[] classifierBias) {
  public ClassifierHead {
    if (hidden < 1 || labels < 1) {
      throw new IllegalArgumentException("hidden size and labels must be >= 1, got " + hidden + " and " + labels);
    }
    check("pooler weight", poolerWeight, hidden * hidden);
    check("pooler bias", poolerBias, hidden);
    check("classifier weight", classifierWeight, labels * hidden);
    check("classifier bias", classifierBias, labels);
  }

  private static void check(String what, float[] values, int expected) {
    if (values.length != expected) {
      throw new IllegalArgumentException(what + " needs " + expected + " values, got " + values.length);
    }
  }

  /**
   * A new head as Hugging Face initializes one: weights N(0, 0.02), biases 0; the pooler from
   * {@code pretrainedPooler} (weight, bias) when the encoder has one, as a fresh
   * BertForSequenceClassification loaded from a BertModel checkpoint keeps it.
   */
  public static ClassifierHead initial(int hidden, int labels, float[][] pretrainedPooler, long seed) {
    Random r = new Random(seed);
    float[] pw;
    float[] pb;
    if (pretrainedPooler != null) {
      pw = pretrainedPooler[0].clone();
      pb = pretrainedPooler[1].clone();
    } else {
      pw = gaussian(r, hidden * hidden);
      pb = new float[hidden];
    }
    return new ClassifierHead(hidden, labels, pw, pb, gaussian(r, labels * hidden), new float[labels]);
  }

  private static float[] gaussian(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (0.02 * r.nextGaussian());
    }
    return v;
  }

  /** The logits of one [CLS] hidden state, computed here in plain Java: the reference for the graph. */
  public float[] logits(float[] cls) {
    float[] pooled = new float[hidden];
    for (int o = 0; o < hidden; o++) {
      double s = poolerBias[o];
      for (int i = 0; i < hidden; i++) {
        s += (double) poolerWeight[o * hidden + i] * cls[i];
      }
      pooled[o] = (float) Math.tanh(s);
    }
    float[] out = new float[labels];
    for (int l = 0; l < labels; l++) {
      double s = classifierBias[l];
      for (int i = 0; i < hidden; i++) {
        s += (double) classifierWeight[l * hidden + i] * pooled[i];
      }
      out[l] = (float) s;
    }
    return out;
  }

  /**
   * The encoder model with this head added to its graph: a new output {@code logits} [batch, labels]
   * computed from the token-level output {@code hiddenOutput} [batch, tokens, hidden]. The encoder's
   * outputs stay.
   */
  public byte[] appendTo(byte[] encoderModel, String hiddenOutput) {
    String p = "embed4j_head/";
    return OnnxGraphBuilder.extension(p)
        .output("logits", OnnxGraphBuilder.FLOAT, "batch_size", labels)
        .longs(p + "cls_index", new long[] {0})
        .floats(p + "pooler_weight_t", transpose(poolerWeight, hidden, hidden), hidden, hidden)
        .floats(p + "pooler_bias", poolerBias, hidden)
        .floats(p + "classifier_weight_t", transpose(classifierWeight, labels, hidden), hidden, labels)
        .floats(p + "classifier_bias", classifierBias, labels)
        .node("Gather", List.of(hiddenOutput, p + "cls_index"), List.of(p + "cls"), OnnxGraphBuilder.intAttr("axis", 1))
        .node("MatMul", List.of(p + "cls", p + "pooler_weight_t"), List.of(p + "pooler_mm"))
        .node("Add", List.of(p + "pooler_mm", p + "pooler_bias"), List.of(p + "pooler_pre"))
        .node("Tanh", List.of(p + "pooler_pre"), List.of(p + "pooled"))
        .node("MatMul", List.of(p + "pooled", p + "classifier_weight_t"), List.of(p + "classifier_mm"))
        .node("Add", List.of(p + "classifier_mm", p + "classifier_bias"), List.of("logits"))
        .appendTo(encoderModel);
  }

  // [out, in] -> [in, out], the right operand of MatMul
  private static float[] transpose(float[] w, int out, int in) {
    float[] t = new float[w.length];
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        t[i * out + o] = w[o * in + i];
      }
    }
    return t;
  }
}

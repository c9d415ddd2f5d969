package io.embed4j.rerank;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a cross-encoder applies to its logits, as sentence-transformers' {@code CrossEncoder} names
 * it in config.json ({@code sentence_transformers.activation_fn}, or the older
 * {@code sbert_ce_default_activation_function}): a PyTorch module class name.
 */
public enum Activation {
  /** Raw logits ({@code torch.nn.modules.linear.Identity}). */
  IDENTITY("torch.nn.modules.linear.Identity"),
  /** {@code 1 / (1 + e^-x)} per label ({@code torch.nn.modules.activation.Sigmoid}): the default for one label. */
  SIGMOID("torch.nn.modules.activation.Sigmoid"),
  /** {@code tanh(x)} per label ({@code torch.nn.modules.activation.Tanh}). */
  TANH("torch.nn.modules.activation.Tanh"),
  /** Softmax over the labels of one pair ({@code torch.nn.modules.activation.Softmax}). */
  SOFTMAX("torch.nn.modules.activation.Softmax");

  private final String torchClass;

  Activation(String torchClass) {
    this.torchClass = torchClass;
  }

  /** The PyTorch class name sentence-transformers writes for this activation. */
  public String torchClass() {
    return torchClass;
  }

  /**
   * Parses a PyTorch class name ({@code torch.nn.modules.activation.Sigmoid}) or a plain name
   * ({@code sigmoid}, {@code identity}, {@code none}), case-insensitively.
   */
  public static Activation fromName(String name) {
    String simple = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return switch (simple) {
      case "identity", "none", "linear" -> IDENTITY;
      case "sigmoid" -> SIGMOID;
      case "tanh" -> TANH;
      case "softmax" -> SOFTMAX;
      default -> throw new IllegalArgumentException("unknown activation '" + name + "'; supported: "
          + Arrays.stream(values()).map(a -> a.name().toLowerCase(Locale.ROOT) + " (" + a.torchClass + ")").toList());
    };
  }

  /** Applies the activation to one pair's logits in place. */
  public void applyInPlace(float[] logits) {
    switch (this) {
      case IDENTITY -> { }
      case SIGMOID -> {
        for (int i = 0; i < logits.length; i++) {
          logits[i] = (float) (1.0 / (1.0 + Math.exp(-logits[i])));
        }
      }
      case TANH -> {
        for (int i = 0; i < logits.length; i++) {
          logits[i] = (float) Math.tanh(logits[i]);
        }
      }
      case SOFTMAX -> {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
          max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
          e[i] = Math.exp(logits[i] - max);
          sum += e[i];
        }
        for (int i = 0; i < logits.length; i++) {
          logits[i] = (float) (e[i] / sum);
        }
      }
    }
  }
}

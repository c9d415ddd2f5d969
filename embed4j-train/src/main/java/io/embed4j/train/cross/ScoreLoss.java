package io.embed4j.train.cross;

import ai.djl.ndarray.NDArray;
import java.util.Locale;

/**
 * A loss over a cross-encoder's logits. {@link #BINARY_CROSS_ENTROPY} scores each pair on its own;
 * {@link #LISTWISE} scores each group (positive first, then its negatives) as one softmax
 * classification, the positive being the right answer.
 */
public enum ScoreLoss {
  /**
   * Binary cross-entropy with logits, mean over pairs, in the numerically stable form
   * {@code max(x, 0) - x·y + log(1 + e^-|x|)} (as torch.nn.BCEWithLogitsLoss).
   */
  BINARY_CROSS_ENTROPY("bce"),
  /**
   * Softmax cross-entropy over each group's logits with the first document as the target, mean over
   * groups (ListNet with a one-hot target; sentence-transformers' CrossEncoder MultipleNegativesRankingLoss).
   */
  LISTWISE("listwise");

  private final String cliName;

  ScoreLoss(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  public static ScoreLoss fromName(String name) {
    for (ScoreLoss l : values()) {
      if (l.cliName.equals(name.toLowerCase(Locale.ROOT))) {
        return l;
      }
    }
    throw new IllegalArgumentException("unknown cross-encoder loss '" + name + "'; valid: bce, listwise");
  }

  /**
   * The loss of a batch.
   *
   * @param logits one logit per pair, [pairs]
   * @param labels one target per pair, [pairs], same type as the logits
   * @param groupSize pairs per group for {@link #LISTWISE} (the batch holds whole groups, positive first); ignored otherwise
   */
  public NDArray compute(NDArray logits, NDArray labels, int groupSize) {
    return switch (this) {
      case BINARY_CROSS_ENTROPY -> logits.maximum(0).sub(logits.mul(labels)).add(logits.abs().neg().exp().add(1).log()).mean();
      case LISTWISE -> {
        long groups = logits.size() / groupSize;
        if (groups * groupSize != logits.size()) {
          throw new IllegalArgumentException(logits.size() + " logits are not whole groups of " + groupSize);
        }
        NDArray g = logits.reshape(groups, groupSize);
        // -log softmax(g)[0] = logsumexp(g) - g[0], with the max taken out for stability
        NDArray max = g.max(new int[] {1}, true);
        NDArray lse = g.sub(max).exp().sum(new int[] {1}).log().add(max.squeeze(1));
        yield lse.sub(g.get(":, 0")).mean();
      }
    };
  }
}

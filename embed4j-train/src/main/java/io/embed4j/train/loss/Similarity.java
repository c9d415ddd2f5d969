package io.embed4j.train.loss;

import ai.djl.ndarray.NDArray;

/** Similarity helpers on [n, d] embedding arrays, differentiable. */
public final class Similarity {
  private Similarity() {}

  /** Rows scaled to unit L2 norm (norm clamped at 1e-12, as torch.nn.functional.normalize). */
  public static NDArray normalize(NDArray x) {
    return x.div(x.norm(new int[] {-1}, true).maximum(1e-12));
  }

  /** Cosine similarity of every row of a with every row of b: [n, m]. */
  public static NDArray cosineMatrix(NDArray a, NDArray b) {
    return normalize(a).matMul(normalize(b).transpose());
  }

  /** Cosine similarity of row i of a with row i of b: [n]. */
  public static NDArray pairwiseCosine(NDArray a, NDArray b) {
    return normalize(a).mul(normalize(b)).sum(new int[] {-1});
  }

  /** Dot product of row i of a with row i of b: [n]. */
  public static NDArray pairwiseDot(NDArray a, NDArray b) {
    return a.mul(b).sum(new int[] {-1});
  }

  /** Numerically stable log(sum(exp(x))) over all elements: a scalar. */
  public static NDArray logSumExp(NDArray x) {
    NDArray max = x.max().stopGradient();
    return x.sub(max).exp().sum().log().add(max);
  }
}

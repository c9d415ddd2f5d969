package io.embed4j.train.cross;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import io.embed4j.torch.Torch;
import org.junit.jupiter.api.Test;

/** The cross-encoder losses against values worked out by hand. */
class ScoreLossTest {
  private static double bce(double x, double y) {
    double p = 1 / (1 + Math.exp(-x));
    return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
  }

  @Test
  void binaryCrossEntropyIsTheMeanOverPairs() {
    try (NDManager m = Torch.engine().newBaseManager()) {
      float[] x = {0f, 2f, -1f, 30f};
      float[] y = {1f, 0f, 0f, 1f};
      double want = (bce(0, 1) + bce(2, 0) + bce(-1, 0) + bce(30, 1)) / 4;
      double got = ScoreLoss.BINARY_CROSS_ENTROPY.compute(m.create(x), m.create(y), 1).getFloat();
      assertEquals(want, got, 1e-6);
    }
  }

  @Test
  void binaryCrossEntropyStaysFiniteForLargeLogits() {
    try (NDManager m = Torch.engine().newBaseManager()) {
      double got = ScoreLoss.BINARY_CROSS_ENTROPY.compute(m.create(new float[] {-200f}), m.create(new float[] {1f}), 1).getFloat();
      assertEquals(200.0, got, 1e-3, "log(1 + e^200) - 0 = 200");
    }
  }

  @Test
  void listwiseIsSoftmaxCrossEntropyWithThePositiveFirst() {
    try (NDManager m = Torch.engine().newBaseManager()) {
      float[] x = {2f, 1f, 0f, /* */ -1f, 3f, 3f};
      double g1 = -Math.log(Math.exp(2) / (Math.exp(2) + Math.exp(1) + Math.exp(0)));
      double g2 = -Math.log(Math.exp(-1) / (Math.exp(-1) + 2 * Math.exp(3)));
      double got = ScoreLoss.LISTWISE.compute(m.create(x), m.create(new float[] {1, 0, 0, 1, 0, 0}), 3).getFloat();
      assertEquals((g1 + g2) / 2, got, 1e-5);
    }
  }
}

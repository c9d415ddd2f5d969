package io.embed4j.train.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.embed4j.torch.GradientCheck;
import io.embed4j.torch.Torch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every loss: gradients against finite differences (float64), and values computed by hand. */
class LossesTest {
  NDManager m;

  @BeforeEach
  void open() {
    m = Torch.engine().newBaseManager();
  }

  @AfterEach
  void close() {
    m.close();
  }

  List<NDArray> columns(int count, int rows, int dims, long seed) {
    Random r = new Random(seed);
    List<NDArray> out = new ArrayList<>();
    for (int c = 0; c < count; c++) {
      double[] v = new double[rows * dims];
      for (int i = 0; i < v.length; i++) {
        v[i] = r.nextGaussian();
      }
      out.add(m.create(v, new Shape(rows, dims)));
    }
    return out;
  }

  void assertGradientsMatch(EmbeddingLoss loss, List<NDArray> cols, NDArray labels) {
    GradientCheck.Result r = GradientCheck.check(cols, () -> loss.compute(cols, labels), 40, 1e-6, 3);
    assertTrue(r.maxRelativeError() < 1e-4, loss + ": " + r);
  }

  @Test
  void mnrlGradientsMatchFiniteDifferences() {
    assertGradientsMatch(new MultipleNegativesRankingLoss(), columns(2, 4, 6, 1), null);
    assertGradientsMatch(new MultipleNegativesRankingLoss(20, false), columns(4, 3, 5, 2), null); // two hard-negative columns
    assertGradientsMatch(new MultipleNegativesRankingLoss(20, true), columns(3, 4, 6, 3), null);
  }

  @Test
  void matryoshkaGradientsMatchFiniteDifferences() {
    assertGradientsMatch(new MatryoshkaLoss(new MultipleNegativesRankingLoss(), 8, 4, 2), columns(3, 4, 8, 4), null);
  }

  @Test
  void cosentGradientsMatchFiniteDifferences() {
    NDArray scores = m.create(new double[] {0.5, 3.0, 1.5, 4.5, 0.0});
    assertGradientsMatch(new CoSENTLoss(), columns(2, 5, 6, 5), scores);
  }

  @Test
  void marginMseGradientsMatchFiniteDifferences() {
    assertGradientsMatch(new MarginMSELoss(), columns(3, 4, 6, 6), m.create(new double[] {1.0, -0.5, 2.0, 0.25}));
  }

  @Test
  void tripletGradientsMatchFiniteDifferences() {
    // Margin 5 keeps every triplet on the active side of the hinge, away from its kink.
    assertGradientsMatch(new TripletLoss(5.0), columns(3, 4, 6, 7), null);
  }

  @Test
  void mnrlIsTheCrossEntropyOfScaledCosines() {
    // Anchors e1, e2; positives e1, (e1+e2)/√2: row 0 scores (20, 20/√2), row 1 (0, 20/√2).
    NDArray a = m.create(new double[] {1, 0, 0, 1}, new Shape(2, 2));
    NDArray p = m.create(new double[] {1, 0, 1, 1}, new Shape(2, 2));
    double s = 20 / Math.sqrt(2);
    double row0 = -(20 - Math.log(Math.exp(20) + Math.exp(s)));
    double row1 = -(s - Math.log(Math.exp(0) + Math.exp(s)));
    assertEquals((row0 + row1) / 2, new MultipleNegativesRankingLoss().compute(List.of(a, p), null).getDouble(), 1e-9);
  }

  @Test
  void cosentIsZeroishWhenCosinesFollowTheScores() {
    NDArray a = m.create(new double[] {1, 0, 1, 0}, new Shape(2, 2));
    NDArray b = m.create(new double[] {0, 1, 1, 0}, new Shape(2, 2)); // cosines 0 and 1
    double good = new CoSENTLoss().compute(List.of(a, b), m.create(new double[] {0, 5})).getDouble();
    double bad = new CoSENTLoss().compute(List.of(a, b), m.create(new double[] {5, 0})).getDouble();
    assertEquals(Math.log(1 + Math.exp(-20)), good, 1e-12);
    assertEquals(Math.log(1 + Math.exp(20)), bad, 1e-9);
  }

  @Test
  void tripletIsZeroBeyondTheMargin() {
    NDArray a = m.create(new double[] {0, 0}, new Shape(1, 2));
    NDArray p = m.create(new double[] {0, 1}, new Shape(1, 2));
    NDArray n = m.create(new double[] {0, 10}, new Shape(1, 2));
    assertEquals(0.0, new TripletLoss(5).compute(List.of(a, p, n), null).getDouble(), 1e-12);
    assertEquals(1.0 - 10.0 + 12.0, new TripletLoss(12).compute(List.of(a, p, n), null).getDouble(), 1e-5);
  }

  @Test
  void matryoshkaSumsTheInnerLossOverPrefixes() {
    List<NDArray> cols = columns(2, 3, 8, 9);
    EmbeddingLoss inner = new MultipleNegativesRankingLoss();
    double expected = inner.compute(cols, null).getDouble()
        + inner.compute(List.of(cols.get(0).get(":, :4"), cols.get(1).get(":, :4")), null).getDouble();
    assertEquals(expected, new MatryoshkaLoss(inner, 8, 4).compute(cols, null).getDouble(), 1e-12);
    assertEquals(DataType.FLOAT64, cols.get(0).getDataType());
  }
}

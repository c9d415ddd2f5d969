package io.embed4j.rerank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Fusion of first-stage and cross-encoder scores, checked against hand computation. */
class ScoreFusionTest {
  // Three candidates in first-stage order; the cross-encoder prefers the last one.
  private static final double[] FIRST = {0.9, 0.7, 0.5};
  private static final float[] CE = {-1f, 1f, 3f};

  @Test
  void crossEncoderOnlyKeepsItsScores() {
    assertArrayEquals(new double[] {-1, 1, 3}, ScoreFusion.parse("ce").fuse(FIRST, CE), 0);
  }

  @Test
  void interpolationMixesMinMaxNormalizedScores() {
    // minmax(first) = 1, 0.5, 0; minmax(ce) = 0, 0.5, 1
    assertArrayEquals(new double[] {0.75, 0.5, 0.25}, ScoreFusion.parse("interpolate:0.25").fuse(FIRST, CE), 1e-12);
    assertArrayEquals(new double[] {1, 0.5, 0}, ScoreFusion.parse("interpolate:0").fuse(FIRST, CE), 1e-12, "weight 0: first stage");
    assertArrayEquals(new double[] {0, 0.5, 1}, ScoreFusion.parse("interpolate:1").fuse(FIRST, CE), 1e-12, "weight 1: cross-encoder");
  }

  @Test
  void interpolationOfConstantScoresLetsTheOtherSideDecide() {
    double[] fused = new ScoreFusion.Interpolation(0.5).fuse(new double[] {0.3, 0.3, 0.3}, CE);
    assertArrayEquals(new double[] {0, 0.25, 0.5}, fused, 1e-12);
  }

  @Test
  void reciprocalRankFusionAddsBothRanks() {
    // first-stage ranks 1, 2, 3; cross-encoder ranks 3, 2, 1; k = 60
    double[] fused = ScoreFusion.parse("rrf").fuse(FIRST, CE);
    assertArrayEquals(new double[] {1 / 61.0 + 1 / 63.0, 2 / 62.0, 1 / 63.0 + 1 / 61.0}, fused, 1e-12);
    double[] k0 = ScoreFusion.parse("rrf:0").fuse(FIRST, new float[] {5f, 5f, 1f});
    assertArrayEquals(new double[] {2, 1, 2 / 3.0}, k0, 1e-12, "equal cross-encoder scores keep the first stage's order");
  }

  @Test
  void labelsReadBack() {
    for (String s : new String[] {"ce", "interpolate:0.3", "interpolate:1", "rrf", "rrf:10"}) {
      assertEquals(s, ScoreFusion.parse(s).label());
    }
  }

  @Test
  void badSpecsAreNamed() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ScoreFusion.parse("mean")).getMessage().contains("unknown fusion 'mean'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ScoreFusion.parse("interpolate")).getMessage().contains("needs a weight"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ScoreFusion.parse("interpolate:1.5")).getMessage().contains("[0, 1], got 1.5"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ScoreFusion.parse("rrf:x")).getMessage().contains("'x' is not a number"));
    assertThrows(IllegalArgumentException.class, () -> ScoreFusion.parse("ce").fuse(FIRST, new float[2]));
  }
}

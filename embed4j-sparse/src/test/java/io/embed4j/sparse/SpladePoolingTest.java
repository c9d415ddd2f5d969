package io.embed4j.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** SPLADE pooling and pruning on tiny logits, against values worked out by hand. */
class SpladePoolingTest {
  // 2 rows x 3 tokens x 4 terms; row 1 has 2 real tokens, its third is padding with large logits
  private static final float[] LOGITS = {
      1f, -2f, 0f, 3f, /* */ 2f, -1f, -5f, 0.5f, /* */ 0.25f, -3f, 1f, 3f,
      -1f, 4f, -1f, -1f, /* */ -2f, 1f, -1f, -1f, /* */ 100f, 100f, 100f, 100f};

  private static float ln1p(double x) {
    return (float) Math.log1p(x);
  }

  @Test
  void maxPoolingIsLog1pOfReluOfTheMaxOverRealTokens() {
    float[] out = new float[4];
    SpladePooling.defaults().pool(LOGITS, 0, 3, 4, 3, out);
    assertArrayEquals(new float[] {ln1p(2), 0f, ln1p(1), ln1p(3)}, out, 1e-7f);
    SpladePooling.defaults().pool(LOGITS, 1, 3, 4, 2, out);
    assertArrayEquals(new float[] {0f, ln1p(4), 0f, 0f}, out, 1e-7f, "padding's 100s are masked out");
  }

  @Test
  void sumPoolingAddsLog1pOfReluPerToken() {
    float[] out = new float[4];
    new SpladePooling(SpladePooling.Strategy.SUM, SpladePooling.Activation.RELU).pool(LOGITS, 0, 3, 4, 3, out);
    assertArrayEquals(new float[] {ln1p(1) + ln1p(2) + ln1p(0.25), 0f, ln1p(1), ln1p(3) + ln1p(0.5) + ln1p(3)}, out, 1e-6f);
    new SpladePooling(SpladePooling.Strategy.SUM, SpladePooling.Activation.RELU).pool(LOGITS, 1, 3, 4, 2, out);
    assertArrayEquals(new float[] {0f, ln1p(4) + ln1p(1), 0f, 0f}, out, 1e-6f);
  }

  @Test
  void log1pReluActivationAppliesLog1pTwice() {
    float[] out = new float[4];
    new SpladePooling(SpladePooling.Strategy.MAX, SpladePooling.Activation.LOG1P_RELU).pool(LOGITS, 0, 3, 4, 3, out);
    assertArrayEquals(new float[] {ln1p(Math.log1p(2)), 0f, ln1p(Math.log1p(1)), ln1p(Math.log1p(3))}, out, 1e-7f);
  }

  @Test
  void pruneKeepsNonZerosAboveTheThresholdInIndexOrder() {
    float[] dense = {0f, 0.5f, 0f, 2f, 0.1f, 2f, 1f};
    SparseVector all = SpladePooling.prune(dense, 0, 0f);
    assertArrayEquals(new int[] {1, 3, 4, 5, 6}, all.indices());
    assertArrayEquals(new float[] {0.5f, 2f, 0.1f, 2f, 1f}, all.values());
    SparseVector above = SpladePooling.prune(dense, 0, 0.5f);
    assertArrayEquals(new int[] {3, 5, 6}, above.indices(), "the threshold itself is dropped");
  }

  @Test
  void topKKeepsTheLargestAndOnTiesTheLowerIndex() {
    float[] dense = {0f, 0.5f, 0f, 2f, 0.1f, 2f, 1f};
    assertArrayEquals(new int[] {3, 5}, SpladePooling.prune(dense, 2, 0f).indices());
    assertArrayEquals(new int[] {3}, SpladePooling.prune(dense, 1, 0f).indices());
    assertArrayEquals(new int[] {1, 3, 5, 6}, SpladePooling.prune(dense, 4, 0f).indices());
    assertEquals(5, SpladePooling.prune(dense, 99, 0f).size());
  }

  @Test
  void unknownConfigNamesListTheSupportedOnes() {
    var e = assertThrows(IllegalArgumentException.class, () -> SpladePooling.of("mean", "relu", "cfg"));
    assertTrue(e.getMessage().contains("pooling_strategy 'mean' is not supported; supported: max, sum"), e.getMessage());
    var f = assertThrows(IllegalArgumentException.class, () -> SpladePooling.of("max", "gelu", "cfg"));
    assertTrue(f.getMessage().contains("supported: relu, log1p_relu"), f.getMessage());
  }
}

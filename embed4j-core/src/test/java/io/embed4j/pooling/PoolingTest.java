package io.embed4j.pooling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Pooling on a hand-made [2 sequences, 3 tokens, 2 hidden] tensor; row 1 has one padding token. */
class PoolingTest {
  // row 0: tokens (1,2) (3,4) (5,6); row 1: (2,0) (4,8) [pad (100,100)]
  private static final float[] TOKENS = {1, 2, 3, 4, 5, 6, 2, 0, 4, 8, 100, 100};

  private static float[] pool(PoolingMode mode, int row, int length) {
    return new Pooling(List.of(mode)).pool(TOKENS, row, 3, 2, length, 0);
  }

  @Test
  void meanAveragesOnlyUnmaskedTokens() {
    assertArrayEquals(new float[] {3, 4}, pool(PoolingMode.MEAN, 0, 3), 1e-6f);
    assertArrayEquals(new float[] {3, 4}, pool(PoolingMode.MEAN, 1, 2), 1e-6f);
  }

  @Test
  void maxRespectsAttentionMask() {
    assertArrayEquals(new float[] {4, 8}, pool(PoolingMode.MAX, 1, 2), 1e-6f);
  }

  @Test
  void clsTakesTheFirstToken() {
    assertArrayEquals(new float[] {2, 0}, pool(PoolingMode.CLS, 1, 2), 1e-6f);
  }

  @Test
  void lastTokenTakesTheLastUnmaskedToken() {
    assertArrayEquals(new float[] {4, 8}, pool(PoolingMode.LAST_TOKEN, 1, 2), 1e-6f);
    assertArrayEquals(new float[] {5, 6}, pool(PoolingMode.LAST_TOKEN, 0, 3), 1e-6f);
  }

  @Test
  void meanSqrtLenDividesBySquareRootOfLength() {
    float s = (float) Math.sqrt(2);
    assertArrayEquals(new float[] {6 / s, 8 / s}, pool(PoolingMode.MEAN_SQRT_LEN_TOKENS, 1, 2), 1e-6f);
  }

  @Test
  void weightedMeanWeighsPositionsOneToN() {
    // weights 1, 2: (1*(2,0) + 2*(4,8)) / 3
    assertArrayEquals(new float[] {10f / 3, 16f / 3}, pool(PoolingMode.WEIGHTED_MEAN, 1, 2), 1e-6f);
  }

  @Test
  void severalModesConcatenateInSentenceTransformersOrder() {
    float[] v = new Pooling(List.of(PoolingMode.MEAN, PoolingMode.CLS)).pool(TOKENS, 0, 3, 2, 3, 0);
    assertArrayEquals(new float[] {1, 2, 3, 4}, v, 1e-6f);
  }

  @Test
  void excludingPromptTokensStartsPoolingAfterThem() {
    float[] v = new Pooling(List.of(PoolingMode.MEAN)).pool(TOKENS, 0, 3, 2, 3, 1);
    assertArrayEquals(new float[] {4, 5}, v, 1e-6f);
  }

  @Test
  void unknownModeListsTheValidOnes() {
    var e = assertThrows(IllegalArgumentException.class, () -> PoolingMode.fromName("median"));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("lasttoken"), e.getMessage());
  }
}

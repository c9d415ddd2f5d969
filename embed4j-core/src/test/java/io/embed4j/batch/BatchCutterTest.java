package io.embed4j.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Which queued inputs join the oldest in a batch, on lengths whose best grouping is plain to see. */
class BatchCutterTest {
  @Test
  void theOldestIsJoinedByInputsOfItsOwnLengthNotByTheNextInLine() {
    BatchCutter cutter = new BatchCutter(2048, 4, 1, 0.3);
    // oldest is 10 tokens; the 40s and 3s would pad; the 10, 9 and 11 barely do (the 11 widens three rows by 1 <= 0.3 * 11)
    int[] lengths = {10, 40, 3, 10, 41, 9, 3, 11};
    assertArrayEquals(new int[] {0, 3, 5, 7}, cutter.cut(lengths));
  }

  @Test
  void stopsAtTheFirstNeighbourThatWouldPadTooMuchOnceTheMinimumIsReached() {
    BatchCutter cutter = new BatchCutter(2048, 16, 2, 0.2);
    // sorted: 20 20 12 12; from the oldest 20 the other 20 joins (no padding), then 12 would pad 8 > 0.2 * 12
    assertArrayEquals(new int[] {0, 2}, cutter.cut(new int[] {20, 12, 20, 12}));
    // below the minimum it takes the cheapest neighbour whatever it pads
    BatchCutter four = new BatchCutter(2048, 16, 4, 0.2);
    assertArrayEquals(new int[] {0, 1, 2, 3}, four.cut(new int[] {20, 12, 20, 12}));
  }

  @Test
  void aLongerNeighbourCostsTheWideningOfEveryRowTaken() {
    BatchCutter cutter = new BatchCutter(2048, 16, 1, 0.5);
    // oldest 10 with two 10s: a 14 would widen three rows by 4 = 12 > 0.5 * 14, a 6 would pad 4 > 0.5 * 6
    assertArrayEquals(new int[] {0, 1, 2}, cutter.cut(new int[] {10, 10, 10, 14, 6}));
    // one row taken: the 12 widens it by 2 <= 0.5 * 12 and joins, the 7 pads 5 > 3.5 and does not
    assertArrayEquals(new int[] {0, 1}, cutter.cut(new int[] {10, 12, 7}));
  }

  @Test
  void respectsTheTokenBudgetAndTheSizeLimit() {
    BatchCutter cutter = new BatchCutter(100, 8, 8, 1.0);
    // 30 x 4 = 120 > 100: at most three rows of width 30
    assertEquals(3, cutter.cut(new int[] {30, 30, 30, 30, 30}).length);
    int[] many = new int[50];
    java.util.Arrays.fill(many, 5);
    assertEquals(8, cutter.cut(many).length);
    assertArrayEquals(new int[] {0}, new BatchCutter(10, 8, 8, 1.0).cut(new int[] {10, 10}));
  }

  @Test
  void alwaysTakesTheOldestAndEachIndexAtMostOnce() {
    Random r = new Random(7);
    BatchCutter cutter = new BatchCutter(2048, 16, 4, 0.2);
    for (int trial = 0; trial < 500; trial++) {
      int[] lengths = new int[1 + r.nextInt(64)];
      for (int i = 0; i < lengths.length; i++) {
        lengths[i] = 3 + r.nextInt(r.nextBoolean() ? 20 : 120);
      }
      int[] taken = cutter.cut(lengths);
      assertEquals(0, taken[0], "the oldest runs");
      int longest = 0;
      for (int k = 1; k < taken.length; k++) {
        assertTrue(taken[k] > taken[k - 1], "ascending, no repeats");
      }
      for (int k : taken) {
        longest = Math.max(longest, lengths[k]);
      }
      assertTrue(taken.length <= 16 && (long) taken.length * longest <= 2048);
      assertTrue(taken.length >= Math.min(4, lengths.length) || (long) (taken.length + 1) * longest > 2048,
          "at least the minimum unless the budget stops it");
    }
  }
}

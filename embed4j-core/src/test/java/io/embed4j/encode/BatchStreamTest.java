package io.embed4j.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.Embed4jException;
import io.embed4j.tokenize.TokenizedText;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** Every input lands in exactly one batch within the token budget, inline or on the helper thread. */
class BatchStreamTest {
  private static TokenizedText[] lengths(int from, int to) {
    TokenizedText[] out = new TokenizedText[to - from];
    for (int i = from; i < to; i++) {
      int n = 2 + (i * 7919) % 30;
      long[] ids = new long[n];
      ids[0] = i; // remember the input in the first id
      out[i - from] = new TokenizedText(ids, new long[n], 1, 1);
    }
    return out;
  }

  private static void checkAll(int count, int batchTokens, int maxBatch) {
    BitSet seen = new BitSet();
    try (BatchStream s = BatchStream.start(count, BatchStreamTest::lengths, batchTokens, maxBatch)) {
      for (BatchPlanner.Planned p; (p = s.next()) != null; ) {
        assertTrue(p.batch().size() <= maxBatch);
        assertTrue(p.batch().size() == 1 || p.batch().paddedTokens() <= batchTokens, "batch over budget: " + p.batch().paddedTokens());
        for (int r = 0; r < p.rows().length; r++) {
          int text = p.rows()[r].text();
          assertEquals(text, p.batch().inputIds()[r * p.batch().seqLen()], "row carries its own input");
          assertTrue(!seen.get(text), "input " + text + " twice");
          seen.set(text);
        }
      }
      assertNull(s.next(), "the end stays the end");
    }
    assertEquals(count, seen.cardinality());
  }

  @Test
  void fewInputsAreBatchedInline() {
    checkAll(37, 64, 8);
  }

  @Test
  void manyInputsAreTokenizedAheadOnAHelperThread() {
    checkAll(3 * BatchStream.BLOCK + 5, 128, 16);
  }

  @Test
  void noInputsGiveNoBatches() {
    checkAll(0, 64, 8);
  }

  @Test
  void aTokenizerFailureReachesTheConsumer() {
    try (BatchStream s = BatchStream.start(2 * BatchStream.BLOCK, (from, to) -> {
      throw new Embed4jException.InvalidInput("bad text at " + from);
    }, 64, 8)) {
      var e = assertThrows(Embed4jException.InvalidInput.class, s::next);
      assertEquals("bad text at 0", e.getMessage());
    }
  }
}

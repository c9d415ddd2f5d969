package io.embed4j.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SparseVectorTest {
  @Test
  void dotMultipliesSharedIndicesOnly() {
    SparseVector a = new SparseVector(new int[] {1, 4, 9, 30000}, new float[] {1f, 2f, 3f, 4f});
    SparseVector b = new SparseVector(new int[] {0, 4, 30000}, new float[] {5f, 0.5f, 2f});
    assertEquals(2f * 0.5f + 4f * 2f, a.dot(b), 0f);
    assertEquals(a.dot(b), b.dot(a), 0f);
    assertEquals(0f, a.dot(SparseVector.EMPTY), 0f);
    assertEquals(3f, a.get(9), 0f);
    assertEquals(0f, a.get(8), 0f);
  }

  @Test
  void indicesMustBeAscendingAndMatchTheValues() {
    var e = assertThrows(IllegalArgumentException.class, () -> new SparseVector(new int[] {3, 3}, new float[] {1f, 1f}));
    assertTrue(e.getMessage().contains("index 1 is 3 after 3"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SparseVector(new int[] {1}, new float[] {1f, 2f}));
    assertThrows(IllegalArgumentException.class, () -> new SparseVector(new int[] {-1}, new float[] {1f}));
  }
}

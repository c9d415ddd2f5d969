package io.embed4j.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VectorMathTest {
  private final ScalarVectorKernels scalar = new ScalarVectorKernels();

  @Test
  void chosenKernelsMatchScalarOverOddAndEvenSizes() {
    Random r = new Random(1);
    for (int n = 1; n <= 1030; n += (n < 40 ? 1 : 37)) {
      float[] a = new float[n];
      float[] b = new float[n];
      for (int i = 0; i < n; i++) {
        a[i] = r.nextFloat() * 2 - 1;
        b[i] = r.nextFloat() * 2 - 1;
      }
      float tol = 1e-4f * n;
      assertEquals(scalar.dot(a, 0, b, 0, n), VectorMath.dot(a, b), tol, "dot n=" + n);
      assertEquals(scalar.squareDistance(a, b), VectorMath.squareDistance(a, b), tol, "l2 n=" + n);
      assertEquals(scalar.manhattanDistance(a, b), VectorMath.manhattanDistance(a, b), tol, "l1 n=" + n);
    }
  }

  @Test
  void panamaKernelsMatchScalarWhenTheModuleIsPresent() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return; // run by the build with --add-modules jdk.incubator.vector; nothing to compare otherwise
    }
    assertEquals("panama", VectorMath.implementation());
  }

  @Test
  void similarityFunctionsByHand() {
    float[] a = {1, 2, 2};
    float[] b = {2, 0, 0};
    assertEquals(2f, SimilarityFunction.DOT.compare(a, b), 1e-6);
    assertEquals(2f / (3f * 2f), SimilarityFunction.COSINE.compare(a, b), 1e-6);
    assertEquals(-(float) Math.sqrt(1 + 4 + 4), SimilarityFunction.EUCLIDEAN.compare(a, b), 1e-6);
    assertEquals(-(1 + 2 + 2), SimilarityFunction.MANHATTAN.compare(a, b), 1e-6);
    assertEquals(0f, VectorMath.cosine(new float[3], a), "a zero vector compares as 0, not NaN");
    assertEquals(SimilarityFunction.DOT, SimilarityFunction.fromName("dot_product"));
    assertThrows(IllegalArgumentException.class, () -> VectorMath.dot(a, new float[2]));
  }

  @Test
  void matrixAndPairwise() {
    float[][] x = {{1, 0}, {0, 1}};
    float[][] y = {{1, 0}, {1, 1}};
    float[][] m = SimilarityFunction.DOT.matrix(x, y);
    assertEquals(1f, m[0][0]);
    assertEquals(1f, m[1][1]);
    assertEquals(0f, m[1][0]);
    float[] p = SimilarityFunction.DOT.pairwise(x, y);
    assertEquals(1f, p[0]);
    assertEquals(1f, p[1]);
  }

  @Test
  void exactSearchReturnsTopKBestFirstWithTiesByRow() {
    float[][] rows = {{1, 0}, {0, 1}, {0.7f, 0.7f}, {1, 0}, {-1, 0}};
    ExactSearch s = new ExactSearch(rows, SimilarityFunction.COSINE);
    List<ExactSearch.Hit> hits = s.search(new float[] {1, 0}, 3);
    assertEquals(List.of(0, 3, 2), hits.stream().map(ExactSearch.Hit::row).toList());
    assertEquals(1f, hits.get(0).score(), 1e-6);
    assertEquals(5, s.search(new float[] {1, 0}, 10).size(), "k larger than the index returns everything");
    ExactSearch e = new ExactSearch(rows, SimilarityFunction.EUCLIDEAN);
    assertEquals(4, e.search(new float[] {-1, 0}, 1).get(0).row());
  }
}

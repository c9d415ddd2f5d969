package io.embed4j.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CorrelationTest {
  @Test
  void tiedValuesShareTheirAverageRankAsScipyRankdata() {
    // scipy.stats.rankdata([3.5, 1, 3.5, 2, 3.5]) -> [4, 1, 4, 2, 4]
    assertArrayEquals(new double[] {4, 1, 4, 2, 4}, Correlation.ranks(new double[] {3.5, 1, 3.5, 2, 3.5}));
  }

  @Test
  void spearmanAndPearsonMatchScipyWithTies() {
    double[] x = {1, 2, 2, 3, 4, 4, 4, 5};
    double[] y = {2, 1, 3, 3, 5, 4, 6, 7};
    // scipy 1.17.1: spearmanr(x, y)[0], pearsonr(x, y)[0]
    assertEquals(0.9200335844703181, Correlation.spearman(x, y), 1e-12);
    assertEquals(0.8881697240665047, Correlation.pearson(x, y), 1e-12);
  }

  @Test
  void perfectAndReversedOrdersGiveOneAndMinusOne() {
    double[] x = {1, 2, 3, 4};
    assertEquals(1.0, Correlation.spearman(x, new double[] {10, 20, 35, 1000}), 1e-12);
    assertEquals(-1.0, Correlation.spearman(x, new double[] {4, 3, 2, 1}), 1e-12);
  }

  @Test
  void constantInputHasNoCorrelation() {
    assertTrue(Double.isNaN(Correlation.pearson(new double[] {1, 2, 3}, new double[] {5, 5, 5})));
  }
}

package io.embed4j.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * This machine's fp32 matrix-multiply rate through PyTorch (the kernel training spends its time
 * in): the best of repeated n × n products, in GFLOP/s. Training throughput is held against it.
 */
public final class MatmulPeak {
  private MatmulPeak() {}

  public static double measure(int n, double seconds) {
    try (NDManager m = Torch.engine().newBaseManager()) {
      NDArray a = m.randomUniform(-0.5f, 0.5f, new Shape(n, n));
      NDArray b = m.randomUniform(-0.5f, 0.5f, new Shape(n, n));
      double best = 0;
      long deadline = System.nanoTime() + (long) (seconds * 1e9);
      int runs = 0;
      while (runs < 3 || System.nanoTime() < deadline) {
        long t0 = System.nanoTime();
        try (NDArray c = a.matMul(b)) {
          c.getFloat(0, 0); // wait for the result
          long dt = System.nanoTime() - t0;
          best = Math.max(best, 2.0 * n * n * n / dt);
        }
        runs++;
      }
      return best;
    }
  }
}

package io.embed4j.backend;

import java.util.Arrays;

/**
 * A dense float tensor in row-major order, as a graph output comes back: {@code values.length} is
 * the product of {@code shape}.
 */
public record FloatTensor(float[] values, long[] shape) {
  public FloatTensor {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape) + " has a negative dimension");
      }
      n *= d;
    }
    if (n != values.length) {
      throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
    }
    shape = shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  /** Size of dimension {@code i}. */
  public int dim(int i) {
    return Math.toIntExact(shape[i]);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public String toString() {
    return "FloatTensor" + Arrays.toString(shape);
  }
}

package io.embed4j.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Finite-difference gradient checking: compares autograd's gradient of a scalar function with
 * central differences {@code (f(x+h) - f(x-h)) / 2h} at sampled coordinates. Use float64 inputs:
 * with float32 the differences drown in rounding.
 */
public final class GradientCheck {
  private GradientCheck() {}

  /** The worst coordinate: relative error {@code |a - n| / max(|a| + |n|, 1e-4)}: gradients below the floor are compared absolutely, as their differences are mostly rounding. */
  public record Result(double maxRelativeError, String worst, int checked) {}

  /**
   * Checks {@code loss} against each input at {@code samples} random coordinates per input.
   *
   * @param inputs float64 arrays the loss depends on (parameters or embeddings); they get gradients
   * @param loss computes a scalar from the inputs' current values
   * @param samples coordinates per input (all of them when the input is smaller)
   * @param step the difference step h (1e-6 suits float64)
   * @param seed picks the coordinates
   */
  public static Result check(List<NDArray> inputs, Supplier<NDArray> loss, int samples, double step, long seed) {
    for (NDArray in : inputs) {
      if (in.getDataType() != DataType.FLOAT64) {
        throw new IllegalArgumentException("gradient checks need float64 inputs, got " + in.getDataType());
      }
      in.setRequiresGradient(true);
    }
    List<double[]> analytic = new ArrayList<>();
    try (GradientCollector gc = Torch.engine().newGradientCollector()) {
      NDArray l = loss.get();
      gc.backward(l);
    }
    for (NDArray in : inputs) {
      try (NDArray g = in.getGradient()) {
        analytic.add(g.toDoubleArray());
        g.subi(g); // leave no gradient behind for the next check
      }
    }
    Random random = new Random(seed);
    double worst = 0;
    String where = "";
    int checked = 0;
    for (int i = 0; i < inputs.size(); i++) {
      NDArray in = inputs.get(i);
      double[] values = in.toDoubleArray();
      int n = values.length;
      int count = Math.min(samples, n);
      for (int s = 0; s < count; s++) {
        int k = count == n ? s : random.nextInt(n);
        double original = values[k];
        values[k] = original + step;
        in.set(values);
        double plus = scalar(loss.get());
        values[k] = original - step;
        in.set(values);
        double minus = scalar(loss.get());
        values[k] = original;
        in.set(values);
        double numeric = (plus - minus) / (2 * step);
        double a = analytic.get(i)[k];
        double err = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), 1e-4);
        checked++;
        if (err > worst) {
          worst = err;
          where = "input " + i + " index " + k + ": autograd " + a + ", finite difference " + numeric;
        }
      }
    }
    return new Result(worst, where, checked);
  }

  private static double scalar(NDArray a) {
    double v = a.toType(DataType.FLOAT64, false).getDouble();
    a.close();
    return v;
  }
}

package io.embed4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDManager;
import io.embed4j.modules.SafeTensors;
import io.embed4j.torch.Torch;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter), as torch.optim.AdamW: decoupled weight decay
 * {@code p ← p·(1 − lr·λ)}, then {@code p ← p − lr · m̂ / (√v̂ + ε)} with bias-corrected moments.
 * Biases and LayerNorm weights get no decay, as Hugging Face's Trainer does. Also clips the global
 * gradient norm and zeroes gradients. Moments live in float32 arrays of the optimizer's own manager.
 */
public final class AdamW implements AutoCloseable {
  private final Map<String, NDArray> parameters;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final NDManager manager;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private long t;

  public AdamW(Map<String, NDArray> parameters, double weightDecay) {
    this(parameters, 0.9, 0.999, 1e-8, weightDecay);
  }

  public AdamW(Map<String, NDArray> parameters, double beta1, double beta2, double eps, double weightDecay) {
    if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) {
      throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
    }
    if (weightDecay < 0) {
      throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
    }
    this.parameters = parameters;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.manager = Torch.engine().newBaseManager();
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      m.put(e.getKey(), manager.zeros(e.getValue().getShape(), e.getValue().getDataType()));
      v.put(e.getKey(), manager.zeros(e.getValue().getShape(), e.getValue().getDataType()));
    }
  }

  static boolean decays(String name) {
    return !name.endsWith(".bias") && !name.contains("LayerNorm.weight");
  }

  /** Steps taken so far. */
  public long steps() {
    return t;
  }

  /** The L2 norm of all gradients together; scales them down to {@code maxNorm} when above it (0 = no clipping). */
  public double clipGradients(double maxNorm) {
    double sum = 0;
    for (NDArray p : parameters.values()) {
      try (NDArray g = p.getGradient(); NDArray sq = g.square(); NDArray s = sq.sum()) {
        sum += s.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
      }
    }
    double norm = Math.sqrt(sum);
    if (maxNorm > 0 && norm > maxNorm) {
      double coef = maxNorm / (norm + 1e-6); // torch.nn.utils.clip_grad_norm_
      for (NDArray p : parameters.values()) {
        try (NDArray g = p.getGradient()) {
          g.muli(coef);
        }
      }
    }
    return norm;
  }

  /** One update with learning rate {@code lr}, then zeroes the gradients. */
  public void step(double lr) {
    t++;
    double bc1 = 1 - Math.pow(beta1, t);
    double bc2 = 1 - Math.pow(beta2, t);
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      NDArray p = e.getValue();
      NDArray mi = m.get(e.getKey());
      NDArray vi = v.get(e.getKey());
      try (NDArray g = p.getGradient()) {
        try (NDArray a = g.mul(1 - beta1)) {
          mi.muli(beta1).addi(a);
        }
        try (NDArray b = g.square()) {
          vi.muli(beta2).addi(b.muli(1 - beta2));
        }
        if (weightDecay > 0 && decays(e.getKey())) {
          p.muli(1 - lr * weightDecay);
        }
        try (NDArray vHat = vi.div(bc2); NDArray denom = vHat.sqrt(); NDArray update = mi.div(denom.addi(eps))) {
          p.subi(update.muli(lr / bc1));
        }
        g.subi(g);
      }
    }
  }

  /**
   * Zeroes the gradients without updating (after a skipped step). An indexed fill overwrites in place,
   * so NaN and inf go too ({@code g - g} would keep them). Not {@code set(Buffer)}: on PyTorch that
   * points the tensor at the Java buffer, which is freed once the gradient's wrapper closes.
   */
  public void zeroGradients() {
    for (NDArray p : parameters.values()) {
      try (NDArray g = p.getGradient()) {
        g.set(new NDIndex("..."), 0);
      }
    }
  }

  /** Names of the parameters whose gradient holds a NaN or an infinity, in parameter order. */
  public List<String> nonFiniteGradients() {
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      try (NDArray g = e.getValue().getGradient(); NDArray sum = g.sum()) {
        if (!Double.isFinite(sum.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble())) {
          names.add(e.getKey());
        }
      }
    }
    return names;
  }

  /** The moments, for a checkpoint: {@code m.NAME} and {@code v.NAME}. */
  public Map<String, SafeTensors.Tensor> state() {
    Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>();
    for (String k : parameters.keySet()) {
      out.put("m." + k, new SafeTensors.Tensor(m.get(k).getShape().getShape(), m.get(k).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray()));
      out.put("v." + k, new SafeTensors.Tensor(v.get(k).getShape().getShape(), v.get(k).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray()));
    }
    return out;
  }

  /** Restores moments and the step count from a checkpoint. */
  public void restore(Map<String, SafeTensors.Tensor> state, long steps) {
    for (String k : parameters.keySet()) {
      SafeTensors.Tensor a = state.get("m." + k);
      SafeTensors.Tensor b = state.get("v." + k);
      if (a == null || b == null) {
        throw new io.embed4j.Embed4jException.InvalidInput("the checkpoint's optimizer state has no moments for '" + k + "'");
      }
      set(m.get(k), a.values());
      set(v.get(k), b.values());
    }
    this.t = steps;
  }

  private static void set(NDArray target, float[] values) {
    if (target.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32) {
      target.set(values);
    } else {
      double[] d = new double[values.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = values[i];
      }
      target.set(d);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}

package io.embed4j.modules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.Embed4jException;
import io.embed4j.vector.VectorMath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A fully connected layer with activation, as sentence-transformers' Dense module: y = f(Wx + b). */
public final class Dense implements VectorModule {
  /** Activations sentence-transformers models use after Dense. */
  public enum Activation { IDENTITY, TANH, RELU, GELU, SIGMOID }

  private final int in;
  private final int out;
  private final float[] weight; // [out, in], row-major
  private final float[] bias; // [out] or null
  private final Activation activation;

  public Dense(int in, int out, float[] weight, float[] bias, Activation activation) {
    if (weight.length != in * out) {
      throw new IllegalArgumentException("Dense weight has " + weight.length + " values, expected " + out + "x" + in);
    }
    if (bias != null && bias.length != out) {
      throw new IllegalArgumentException("Dense bias has " + bias.length + " values, expected " + out);
    }
    this.in = in;
    this.out = out;
    this.weight = weight;
    this.bias = bias;
    this.activation = activation;
  }

  /** Loads a {@code 2_Dense}-style directory: config.json and model.safetensors. */
  public static Dense load(Path dir) {
    Path config = dir.resolve("config.json");
    try {
      JsonNode c = new ObjectMapper().readTree(Files.readAllBytes(config));
      int in = c.path("in_features").asInt();
      int out = c.path("out_features").asInt();
      String act = c.path("activation_function").asText("torch.nn.modules.linear.Identity");
      Path weights = dir.resolve("model.safetensors");
      if (!Files.exists(weights)) {
        throw new Embed4jException.InvalidModel(dir + ": Dense weights must be in model.safetensors"
            + (Files.exists(dir.resolve("pytorch_model.bin")) ? " (pytorch_model.bin is not supported; convert it with safetensors)" : ""));
      }
      Map<String, SafeTensors.Tensor> tensors = SafeTensors.read(weights);
      SafeTensors.Tensor w = tensors.get("linear.weight");
      if (w == null) {
        throw new Embed4jException.InvalidModel(weights + ": no tensor 'linear.weight'; found " + tensors.keySet());
      }
      SafeTensors.Tensor b = tensors.get("linear.bias");
      return new Dense(in, out, w.values(), b == null ? null : b.values(), activationOf(act, config));
    } catch (IOException e) {
      throw new Embed4jException.InvalidModel("cannot read " + config + ": " + e.getMessage(), e);
    }
  }

  static Activation activationOf(String name, Path config) {
    String simple = name.substring(name.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
    return switch (simple) {
      case "identity" -> Activation.IDENTITY;
      case "tanh" -> Activation.TANH;
      case "relu" -> Activation.RELU;
      case "gelu" -> Activation.GELU;
      case "sigmoid" -> Activation.SIGMOID;
      default -> throw new Embed4jException.InvalidModel(config + ": activation_function '" + name
          + "' is not supported; supported: Identity, Tanh, ReLU, GELU, Sigmoid");
    };
  }

  @Override
  public float[] apply(float[] x) {
    if (x.length != in) {
      throw new IllegalArgumentException("Dense expects " + in + " inputs, got " + x.length);
    }
    float[] y = new float[out];
    for (int o = 0; o < out; o++) {
      float v = VectorMath.dot(x, weight, o * in) + (bias == null ? 0f : bias[o]);
      y[o] = switch (activation) {
        case IDENTITY -> v;
        case TANH -> (float) Math.tanh(v);
        case RELU -> Math.max(0f, v);
        case SIGMOID -> (float) (1 / (1 + Math.exp(-v)));
        case GELU -> (float) (0.5 * v * (1 + erf(v / Math.sqrt(2))));
      };
    }
    return y;
  }

  // Abramowitz-Stegun 7.1.26 approximation; max error 1.5e-7, below float precision here.
  private static double erf(double x) {
    double t = 1 / (1 + 0.3275911 * Math.abs(x));
    double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
    return x >= 0 ? y : -y;
  }

  @Override
  public int outputDimensions(int inputDimensions) {
    return out;
  }

  @Override
  public String toString() {
    return "Dense(" + in + "->" + out + ", " + activation.name().toLowerCase(java.util.Locale.ROOT) + ")";
  }
}

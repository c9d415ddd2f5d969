package io.embed4j.torch.onnx;

import io.embed4j.Embed4jException;
import io.embed4j.modules.SafeTensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The float weights of a BERT-family ONNX graph under their Hugging Face names, and the way back:
 * writing new values into a copy of the graph.
 *
 * <p>PyTorch's exporter keeps module names for most initializers ({@code encoder.layer.0.attention.self.query.bias})
 * but stores each linear layer's weight transposed, as the right operand of a MatMul, under an
 * anonymous name ({@code onnx::MatMul_885}). The name is recovered from the graph around it: the Add
 * that follows the MatMul adds the layer's bias, so {@code X.bias} names the weight {@code X.weight};
 * failing that, the MatMul node's own name ({@code /encoder/layer.0/attention/self/query/MatMul}) is
 * the module path.
 */
public final class OnnxWeights {
  /** Where a Hugging Face weight lives in the graph; {@code transposed} for MatMul operands ([in, out]). */
  public record Source(OnnxGraph.Initializer initializer, boolean transposed) {}

  private final OnnxGraph graph;
  private final Map<String, Source> sources;

  private OnnxWeights(OnnxGraph graph, Map<String, Source> sources) {
    this.graph = graph;
    this.sources = sources;
  }

  public static OnnxWeights read(Path onnxFile) {
    return of(OnnxGraph.read(onnxFile));
  }

  public static OnnxWeights of(OnnxGraph graph) {
    Map<String, Source> sources = new LinkedHashMap<>();
    Map<String, String> anonymous = new LinkedHashMap<>(); // initializer -> recovered name
    List<String> unnamed = new ArrayList<>();
    for (OnnxGraph.Node node : graph.nodes()) {
      if (!node.opType().equals("MatMul") || node.inputs().size() != 2) {
        continue;
      }
      OnnxGraph.Initializer w = graph.initializers().get(node.inputs().get(1));
      if (w == null || w.dataType() != OnnxGraph.FLOAT || w.dims().length != 2 || isModuleName(w.name())) {
        continue;
      }
      String name = nameFromBias(graph, node);
      if (name == null) {
        name = nameFromNode(node);
      }
      if (name == null) {
        unnamed.add(w.name());
      } else {
        anonymous.put(w.name(), name);
      }
    }
    if (!unnamed.isEmpty()) {
      throw new Embed4jException.InvalidModel(graph.file() + ": cannot recover the module names of MatMul weights " + unnamed
          + " (no bias Add after them and no module path in the node names)");
    }
    for (OnnxGraph.Initializer t : graph.initializers().values()) {
      if (t.dataType() != OnnxGraph.FLOAT) {
        continue;
      }
      String recovered = anonymous.get(t.name());
      if (recovered != null) {
        put(sources, canonical(recovered), new Source(t, true), graph);
      } else if (isModuleName(t.name())) {
        put(sources, canonical(t.name()), new Source(t, false), graph);
      }
    }
    return new OnnxWeights(graph, sources);
  }

  private static void put(Map<String, Source> sources, String name, Source s, OnnxGraph graph) {
    if (sources.putIfAbsent(name, s) != null) {
      throw new Embed4jException.InvalidModel(graph.file() + ": two initializers map to the weight '" + name + "'");
    }
  }

  // Names PyTorch gives parameters: dotted module paths ending in weight/bias (never "onnx::..." or "/...").
  private static boolean isModuleName(String name) {
    return !name.startsWith("onnx::") && !name.startsWith("/") && (name.endsWith(".weight") || name.endsWith(".bias"));
  }

  /** Strips the prefixes wrappers add ("bert.", "0.auto_model.", "model."), leaving BertModel's names. */
  public static String canonical(String name) {
    for (String prefix : List.of("0.auto_model.", "auto_model.", "bert.", "model.")) {
      if (name.startsWith(prefix)) {
        return name.substring(prefix.length());
      }
    }
    return name;
  }

  private static String nameFromBias(OnnxGraph graph, OnnxGraph.Node matmul) {
    for (OnnxGraph.Node next : graph.consumers(matmul.outputs().get(0))) {
      if (!next.opType().equals("Add")) {
        continue;
      }
      for (String in : next.inputs()) {
        if (in.endsWith(".bias") && graph.initializers().containsKey(in)) {
          return in.substring(0, in.length() - ".bias".length()) + ".weight";
        }
      }
    }
    return null;
  }

  private static String nameFromNode(OnnxGraph.Node matmul) {
    String n = matmul.name();
    if (!n.startsWith("/") || !n.endsWith("/MatMul")) {
      return null;
    }
    return n.substring(1, n.length() - "/MatMul".length()).replace('/', '.') + ".weight";
  }

  public OnnxGraph graph() {
    return graph;
  }

  /** Hugging Face name to its place in the graph, in the graph's initializer order. */
  public Map<String, Source> sources() {
    return sources;
  }

  /** All float weights under Hugging Face names, in Hugging Face layout ([out, in] for linear layers). */
  public Map<String, SafeTensors.Tensor> tensors() {
    Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Source> e : sources.entrySet()) {
      OnnxGraph.Initializer t = e.getValue().initializer();
      float[] v = graph.floats(t);
      long[] dims = t.dims().clone();
      if (e.getValue().transposed()) {
        v = transpose(v, (int) dims[0], (int) dims[1]);
        dims = new long[] {dims[1], dims[0]};
      }
      out.put(e.getKey(), new SafeTensors.Tensor(dims, v));
    }
    return out;
  }

  /**
   * Attention heads, read from the graph: BERT divides the attention scores by sqrt(head size), a
   * Constant feeding a Div. Returns 0 when the graph has no such constant.
   */
  public int attentionHeads(int hidden) {
    for (OnnxGraph.Node node : graph.nodes()) {
      if (!node.opType().equals("Div") || node.inputs().size() != 2) {
        continue;
      }
      OnnxGraph.Initializer c = graph.constant(node.inputs().get(1));
      if (c == null) {
        c = graph.initializers().get(node.inputs().get(1));
      }
      if (c == null || c.dataType() != OnnxGraph.FLOAT || c.count() != 1) {
        continue;
      }
      double s = graph.floats(c)[0];
      long headSize = Math.round(s * s);
      if (headSize > 0 && Math.abs(s * s - headSize) < 1e-3 && hidden % headSize == 0) {
        return (int) (hidden / headSize);
      }
    }
    return 0;
  }

  /**
   * Writes a copy of the graph with new values for the given weights (Hugging Face names and layout).
   * The graph is unchanged: each initializer's data is overwritten in place, so every byte outside
   * the weights stays as it was. Weights not given keep their values; unknown names or wrong sizes
   * are errors.
   */
  public void writeWith(Map<String, SafeTensors.Tensor> weights, Path out) {
    byte[] copy = graph.bytes().clone();
    ByteBuffer buffer = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
    for (Map.Entry<String, SafeTensors.Tensor> e : weights.entrySet()) {
      Source s = sources.get(e.getKey());
      if (s == null) {
        throw new Embed4jException.InvalidModel("the ONNX graph " + graph.file() + " has no weight '" + e.getKey() + "'");
      }
      OnnxGraph.Initializer t = s.initializer();
      float[] v = e.getValue().values();
      if (v.length != t.count()) {
        throw new Embed4jException.InvalidModel("weight '" + e.getKey() + "' has " + v.length + " values; the graph's has " + t.count());
      }
      if (s.transposed()) {
        v = transpose(v, (int) t.dims()[1], (int) t.dims()[0]);
      }
      buffer.position(t.dataOffset());
      buffer.asFloatBuffer().put(v);
    }
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    try {
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.write(tmp, copy);
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new Embed4jException("cannot write ONNX model " + out + ": " + e.getMessage(), e);
    }
  }

  /** [rows, cols] row-major to [cols, rows]. */
  static float[] transpose(float[] v, int rows, int cols) {
    float[] t = new float[v.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = v[r * cols + c];
      }
    }
    return t;
  }
}

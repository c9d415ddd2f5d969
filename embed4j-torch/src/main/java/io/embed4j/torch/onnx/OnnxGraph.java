package io.embed4j.torch.onnx;

import io.embed4j.Embed4jException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX model (protobuf {@code ModelProto}) that weight import and export need: the
 * graph's nodes, its initializers with the byte offset of their data, and the values of Constant
 * nodes. Only float32 initializers are decoded to floats; others keep their raw bytes.
 *
 * <p>Fields read — ModelProto: 7 graph. GraphProto: 1 node, 5 initializer. NodeProto: 1 input,
 * 2 output, 3 name, 4 op_type, 5 attribute. AttributeProto: 1 name, 2 f, 3 i, 5 t. TensorProto:
 * 1 dims, 2 data_type, 4 float_data, 7 int64_data, 8 name, 9 raw_data, 14 data_location.
 */
public final class OnnxGraph {
  /** ONNX TensorProto.DataType values used here. */
  public static final int FLOAT = 1;
  public static final int INT64 = 7;

  /** A graph node. */
  public record Node(String name, String opType, List<String> inputs, List<String> outputs) {}

  /**
   * An initializer (or Constant value): name, shape, data type and where its data lies in the
   * file — {@code dataOffset}/{@code dataLength} of raw_data or of packed float_data.
   */
  public record Initializer(String name, long[] dims, int dataType, int dataOffset, int dataLength, boolean packedFloats) {
    public long count() {
      long n = 1;
      for (long d : dims) {
        n *= d;
      }
      return n;
    }
  }

  private final Path file;
  private final byte[] bytes;
  private final List<Node> nodes;
  private final Map<String, Initializer> initializers;
  private final Map<String, Initializer> constants;
  private final Map<String, List<Node>> consumers = new HashMap<>();
  private final Map<String, Node> producers = new HashMap<>();

  private OnnxGraph(Path file, byte[] bytes, List<Node> nodes, Map<String, Initializer> initializers, Map<String, Initializer> constants) {
    this.file = file;
    this.bytes = bytes;
    this.nodes = List.copyOf(nodes);
    this.initializers = initializers;
    this.constants = constants;
    for (Node n : nodes) {
      for (String in : n.inputs()) {
        consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
      }
      for (String out : n.outputs()) {
        producers.put(out, n);
      }
    }
  }

  public static OnnxGraph read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new Embed4jException.InvalidModel("cannot read ONNX model " + file + ": " + e.getMessage(), e);
    }
    try {
      return parse(file, bytes);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new Embed4jException.InvalidModel(file + " is not a readable ONNX model: " + e.getMessage(), e);
    }
  }

  private static OnnxGraph parse(Path file, byte[] bytes) {
    ProtoReader model = new ProtoReader(bytes, 0, bytes.length);
    ProtoReader graph = null;
    while (model.next()) {
      if (model.field() == 7 && model.wireType() == ProtoReader.LENGTH_DELIMITED) {
        graph = model.message();
      } else {
        model.skip();
      }
    }
    if (graph == null) {
      throw new IllegalStateException("no graph in the model");
    }
    List<Node> nodes = new ArrayList<>();
    Map<String, Initializer> initializers = new LinkedHashMap<>();
    Map<String, Initializer> constants = new HashMap<>();
    while (graph.next()) {
      switch (graph.field()) {
        case 1 -> {
          Node node = readNode(graph.message(), constants);
          nodes.add(node);
        }
        case 5 -> {
          Initializer t = readTensor(graph.message(), file);
          initializers.put(t.name(), t);
        }
        default -> graph.skip();
      }
    }
    return new OnnxGraph(file, bytes, nodes, initializers, constants);
  }

  private static Node readNode(ProtoReader r, Map<String, Initializer> constants) {
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    String name = "";
    String op = "";
    List<ProtoReader> attributes = new ArrayList<>();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> inputs.add(r.string());
        case 2 -> outputs.add(r.string());
        case 3 -> name = r.string();
        case 4 -> op = r.string();
        case 5 -> attributes.add(r.message());
        default -> r.skip();
      }
    }
    if (op.equals("Constant") && outputs.size() == 1) {
      for (ProtoReader a : attributes) {
        String attrName = "";
        Initializer value = null;
        while (a.next()) {
          switch (a.field()) {
            case 1 -> attrName = a.string();
            case 5 -> value = readTensor(a.message(), null);
            default -> a.skip();
          }
        }
        if (attrName.equals("value") && value != null) {
          constants.put(outputs.get(0), value);
        }
      }
    }
    return new Node(name, op, inputs, outputs);
  }

  private static Initializer readTensor(ProtoReader r, Path file) {
    List<Long> dims = new ArrayList<>();
    int dataType = 0;
    String name = "";
    int offset = -1;
    int length = 0;
    boolean packed = false;
    boolean external = false;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> r.varints(dims::add);
        case 2 -> dataType = (int) r.varint();
        case 4 -> {
          if (r.wireType() == ProtoReader.LENGTH_DELIMITED) {
            int[] s = r.span();
            offset = s[0];
            length = s[1];
            packed = true;
          } else {
            throw new IllegalStateException("tensor '" + name + "' stores float_data unpacked; re-save the model");
          }
        }
        case 7 -> {
          if (r.wireType() == ProtoReader.LENGTH_DELIMITED) {
            int[] s = r.span();
            offset = s[0];
            length = s[1];
          } else {
            r.skip();
          }
        }
        case 8 -> name = r.string();
        case 9 -> {
          int[] s = r.span();
          offset = s[0];
          length = s[1];
        }
        case 14 -> external = r.varint() == 1;
        default -> r.skip();
      }
    }
    if (external) {
      throw new Embed4jException.InvalidModel((file == null ? "an ONNX model" : file.toString()) + ": initializer '" + name
          + "' keeps its data in an external file; embed4j reads single-file ONNX models only");
    }
    long[] d = new long[dims.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = dims.get(i);
    }
    return new Initializer(name, d, dataType, offset, length, packed);
  }

  public Path file() {
    return file;
  }

  /** The whole model file. */
  byte[] bytes() {
    return bytes;
  }

  public List<Node> nodes() {
    return nodes;
  }

  public Map<String, Initializer> initializers() {
    return initializers;
  }

  /** The nodes that read a value. */
  public List<Node> consumers(String value) {
    return consumers.getOrDefault(value, List.of());
  }

  /** The node that writes a value, or null for graph inputs and initializers. */
  public Node producer(String value) {
    return producers.get(value);
  }

  /** The value of a Constant node's output, or null. */
  public Initializer constant(String value) {
    return constants.get(value);
  }

  /** An initializer's or Constant's data as floats (float32 only). */
  public float[] floats(Initializer t) {
    if (t.dataType() != FLOAT) {
      throw new Embed4jException.InvalidModel(file + ": tensor '" + t.name() + "' has ONNX data type " + t.dataType() + ", not float32");
    }
    int n = Math.toIntExact(t.count());
    if (t.dataOffset() < 0 || t.dataLength() != 4L * n) {
      throw new Embed4jException.InvalidModel(file + ": tensor '" + t.name() + "' holds " + t.dataLength() + " bytes, expected " + 4L * n);
    }
    float[] out = new float[n];
    ByteBuffer.wrap(bytes, t.dataOffset(), t.dataLength()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }
}

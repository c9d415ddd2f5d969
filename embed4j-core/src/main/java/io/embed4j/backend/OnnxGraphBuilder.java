package io.embed4j.backend;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes ONNX graphs as protobuf bytes, without an ONNX library: small whole models (tests whose
 * outputs are computed by hand) and extensions of existing models (a classification head on an
 * encoder). Inputs, outputs, constant initializers and nodes, in topological order.
 *
 * <pre>{@code
 * byte[] model = OnnxGraphBuilder.graph("count")
 *     .input("attention_mask", OnnxGraphBuilder.INT64, "batch", "tokens")
 *     .output("logits", OnnxGraphBuilder.FLOAT, "batch", 1)
 *     .longs("axes", new long[] {1}, 1)
 *     .node("Cast", List.of("attention_mask"), List.of("m"), OnnxGraphBuilder.intAttr("to", OnnxGraphBuilder.FLOAT))
 *     .node("ReduceSum", List.of("m", "axes"), List.of("logits"), OnnxGraphBuilder.intAttr("keepdims", 1))
 *     .build();
 * }</pre>
 *
 * <p>{@link #appendTo} extends a model instead: protobuf merges a repeated occurrence of a message
 * field into the first, so a second {@code ModelProto.graph} holding only new nodes, initializers and
 * outputs, appended to a model's bytes, adds them to its graph — without parsing or copying the
 * weights already there.
 */
public final class OnnxGraphBuilder {
  /** ONNX TensorProto data types. */
  public static final int FLOAT = 1;
  public static final int INT32 = 6;
  public static final int INT64 = 7;

  /** An attribute, already encoded. */
  public record Attr(byte[] bytes) {}

  private final String name;
  private final String nodePrefix;
  private final List<byte[]> nodes = new ArrayList<>();
  private final List<byte[]> initializers = new ArrayList<>();
  private final List<byte[]> inputs = new ArrayList<>();
  private final List<byte[]> outputs = new ArrayList<>();
  private int opset = 13;

  private OnnxGraphBuilder(String name, String nodePrefix) {
    this.name = name;
    this.nodePrefix = nodePrefix;
  }

  /** A new whole graph. */
  public static OnnxGraphBuilder graph(String name) {
    return new OnnxGraphBuilder(name, "");
  }

  /**
   * An extension of an existing graph, for {@link #appendTo}; node names start with {@code nodePrefix}
   * so they cannot clash with the graph's own.
   */
  public static OnnxGraphBuilder extension(String nodePrefix) {
    return new OnnxGraphBuilder(null, nodePrefix);
  }

  public static Attr intAttr(String name, long value) {
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    string(a, 1, name);
    varintField(a, 3, value);
    varintField(a, 20, 2); // INT
    return new Attr(a.toByteArray());
  }

  public static Attr intsAttr(String name, long... values) {
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    string(a, 1, name);
    for (long v : values) {
      varintField(a, 8, v);
    }
    varintField(a, 20, 7); // INTS
    return new Attr(a.toByteArray());
  }

  public static Attr floatAttr(String name, float value) {
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    string(a, 1, name);
    varint(a, (2 << 3) | 5); // fixed32
    a.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array());
    varintField(a, 20, 1); // FLOAT
    return new Attr(a.toByteArray());
  }

  public OnnxGraphBuilder opset(int version) {
    this.opset = version;
    return this;
  }

  /** A graph input; each dimension is a size (Integer or Long) or a symbolic name (String). */
  public OnnxGraphBuilder input(String name, int type, Object... dims) {
    inputs.add(valueInfo(name, type, dims));
    return this;
  }

  public OnnxGraphBuilder output(String name, int type, Object... dims) {
    outputs.add(valueInfo(name, type, dims));
    return this;
  }

  /** A float constant of the given shape (no dims: a scalar). */
  public OnnxGraphBuilder floats(String name, float[] values, long... dims) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    initializers.add(tensor(name, FLOAT, dims, b.array()));
    return this;
  }

  /** An int64 constant of the given shape (no dims: a scalar). */
  public OnnxGraphBuilder longs(String name, long[] values, long... dims) {
    ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    initializers.add(tensor(name, INT64, dims, b.array()));
    return this;
  }

  public OnnxGraphBuilder node(String opType, List<String> in, List<String> out, Attr... attrs) {
    ByteArrayOutputStream node = new ByteArrayOutputStream();
    for (String i : in) {
      string(node, 1, i);
    }
    for (String o : out) {
      string(node, 2, o);
    }
    string(node, 3, nodePrefix + opType + "_" + nodes.size());
    string(node, 4, opType);
    for (Attr a : attrs) {
      bytes(node, 5, a.bytes());
    }
    nodes.add(node.toByteArray());
    return this;
  }

  private byte[] graphBytes() {
    ByteArrayOutputStream graph = new ByteArrayOutputStream();
    nodes.forEach(n -> bytes(graph, 1, n));
    if (name != null) {
      string(graph, 2, name);
    }
    initializers.forEach(t -> bytes(graph, 5, t));
    inputs.forEach(i -> bytes(graph, 11, i));
    outputs.forEach(o -> bytes(graph, 12, o));
    return graph.toByteArray();
  }

  /** ModelProto bytes: IR version 8, the default operator set at {@link #opset}. */
  public byte[] build() {
    if (name == null) {
      throw new IllegalStateException("an extension has no model of its own: use appendTo");
    }
    ByteArrayOutputStream opsetId = new ByteArrayOutputStream();
    string(opsetId, 1, "");
    varintField(opsetId, 2, opset);
    ByteArrayOutputStream model = new ByteArrayOutputStream();
    varintField(model, 1, 8);
    string(model, 2, "embed4j");
    bytes(model, 7, graphBytes());
    bytes(model, 8, opsetId.toByteArray());
    return model.toByteArray();
  }

  /**
   * The model {@code modelBytes} with this builder's nodes, initializers, inputs and outputs added to
   * its graph. The new nodes must only read tensors the graph has or this builder adds.
   */
  public byte[] appendTo(byte[] modelBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(modelBytes.length + 1024);
    out.writeBytes(modelBytes);
    bytes(out, 7, graphBytes());
    return out.toByteArray();
  }

  /** Writes {@link #build()} to {@code file} (parent directories created) and returns the file. */
  public Path write(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.write(file, build());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] tensor(String name, int type, long[] dims, byte[] raw) {
    ByteArrayOutputStream t = new ByteArrayOutputStream();
    for (long d : dims) {
      varintField(t, 1, d);
    }
    varintField(t, 2, type);
    string(t, 8, name);
    bytes(t, 9, raw);
    return t.toByteArray();
  }

  private static byte[] valueInfo(String name, int type, Object... dims) {
    ByteArrayOutputStream shape = new ByteArrayOutputStream();
    for (Object d : dims) {
      ByteArrayOutputStream dim = new ByteArrayOutputStream();
      if (d instanceof String s) {
        string(dim, 2, s);
      } else {
        varintField(dim, 1, ((Number) d).longValue());
      }
      bytes(shape, 1, dim.toByteArray());
    }
    ByteArrayOutputStream tensorType = new ByteArrayOutputStream();
    varintField(tensorType, 1, type);
    bytes(tensorType, 2, shape.toByteArray());
    ByteArrayOutputStream typeProto = new ByteArrayOutputStream();
    bytes(typeProto, 1, tensorType.toByteArray());
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    string(info, 1, name);
    bytes(info, 2, typeProto.toByteArray());
    return info.toByteArray();
  }

  private static void string(ByteArrayOutputStream out, int field, String s) {
    bytes(out, field, s.getBytes(StandardCharsets.UTF_8));
  }

  private static void bytes(ByteArrayOutputStream out, int field, byte[] b) {
    varint(out, (field << 3) | 2);
    varint(out, b.length);
    out.writeBytes(b);
  }

  private static void varintField(ByteArrayOutputStream out, int field, long v) {
    varint(out, field << 3);
    varint(out, v);
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}

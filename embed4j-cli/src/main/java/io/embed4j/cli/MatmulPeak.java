package io.embed4j.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayOutputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Measures this machine's fp32 matrix-multiply rate through ONNX Runtime's own GEMM (MLAS), the
 * kernel that does the encoder's heavy lifting: a one-node MatMul graph, written here as protobuf
 * bytes, multiplying two n x n matrices. The result is the ceiling encode throughput is held against.
 */
final class MatmulPeak {
  private MatmulPeak() {}

  /** Best GFLOP/s of several n x n multiplications with the given thread count. */
  static double measure(int n, int threads, double seconds) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(threads);
      so.setInterOpNumThreads(1);
      try (OrtSession s = env.createSession(matmulModel(n), so)) {
        float[] data = new float[n * n];
        java.util.Random r = new java.util.Random(42);
        for (int i = 0; i < data.length; i++) {
          data[i] = r.nextFloat() - 0.5f;
        }
        long[] shape = {n, n};
        try (OnnxTensor a = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
            OnnxTensor b = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape)) {
          double best = 0;
          long deadline = System.nanoTime() + (long) (seconds * 1e9);
          int runs = 0;
          while (runs < 3 || System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            try (OrtSession.Result res = s.run(Map.of("A", a, "B", b))) {
              long dt = System.nanoTime() - t0;
              best = Math.max(best, 2.0 * n * n * n / dt);
            }
            runs++;
          }
          return best;
        }
      }
    }
  }

  // ModelProto { ir_version=8, opset_import{domain="", version=13}, graph{ node MatMul(A,B)->C, inputs A,B, output C } }
  static byte[] matmulModel(int n) {
    ByteArrayOutputStream node = new ByteArrayOutputStream();
    string(node, 1, "A");
    string(node, 1, "B");
    string(node, 2, "C");
    string(node, 4, "MatMul");
    ByteArrayOutputStream graph = new ByteArrayOutputStream();
    bytes(graph, 1, node.toByteArray());
    string(graph, 2, "matmul");
    bytes(graph, 11, valueInfo("A", n));
    bytes(graph, 11, valueInfo("B", n));
    bytes(graph, 12, valueInfo("C", n));
    ByteArrayOutputStream opset = new ByteArrayOutputStream();
    string(opset, 1, "");
    varintField(opset, 2, 13);
    ByteArrayOutputStream model = new ByteArrayOutputStream();
    varintField(model, 1, 8);
    bytes(model, 7, graph.toByteArray());
    bytes(model, 8, opset.toByteArray());
    return model.toByteArray();
  }

  private static byte[] valueInfo(String name, int n) {
    ByteArrayOutputStream shape = new ByteArrayOutputStream();
    for (int i = 0; i < 2; i++) {
      ByteArrayOutputStream dim = new ByteArrayOutputStream();
      varintField(dim, 1, n);
      bytes(shape, 1, dim.toByteArray());
    }
    ByteArrayOutputStream tensor = new ByteArrayOutputStream();
    varintField(tensor, 1, 1); // FLOAT
    bytes(tensor, 2, shape.toByteArray());
    ByteArrayOutputStream type = new ByteArrayOutputStream();
    bytes(type, 1, tensor.toByteArray());
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    string(info, 1, name);
    bytes(info, 2, type.toByteArray());
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

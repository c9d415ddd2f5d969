package io.embed4j.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.embed4j.backend.OnnxGraphBuilder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/**
 * Measures this machine's fp32 matrix-multiply rate through ONNX Runtime's own GEMM (MLAS), the
 * kernel that does the encoder's heavy lifting: a one-node MatMul graph multiplying two n x n matrices. The result is the ceiling encode throughput is held against.
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

  /** A one-node graph: C = A x B for two n x n float matrices. */
  static byte[] matmulModel(int n) {
    return OnnxGraphBuilder.graph("matmul")
        .input("A", OnnxGraphBuilder.FLOAT, n, n)
        .input("B", OnnxGraphBuilder.FLOAT, n, n)
        .output("C", OnnxGraphBuilder.FLOAT, n, n)
        .node("MatMul", List.of("A", "B"), List.of("C"))
        .build();
  }
}

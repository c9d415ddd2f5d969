package io.embed4j.backend;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import io.embed4j.Embed4jException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs an ONNX graph on token batches and returns one named float output with its shape, for
 * models whose output is not an embedding: a cross-encoder's {@code logits [batch, labels]}, a
 * masked-language model's {@code logits [batch, tokens, vocabulary]}. Inputs are {@code input_ids},
 * {@code attention_mask} and, when the graph has it, {@code token_type_ids}. Sessions are created
 * as {@link OnnxBackend} creates them (threads, graph optimization, optimized-graph cache).
 * Safe to call from several threads at once.
 */
public final class OnnxRunner implements AutoCloseable {
  private final Path modelFile;
  private final OnnxTokenSession session;
  private final Map<String, long[]> floatOutputs;

  private OnnxRunner(Path modelFile, BackendOptions options) {
    this.session = new OnnxTokenSession(modelFile, options);
    this.modelFile = modelFile;
    try {
      Map<String, long[]> outs = new LinkedHashMap<>();
      for (Map.Entry<String, NodeInfo> e : session.outputInfo().entrySet()) {
        if (e.getValue().getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT) {
          outs.put(e.getKey(), t.getShape());
        }
      }
      this.floatOutputs = outs;
    } catch (OrtException e) {
      close();
      throw new Embed4jException.InvalidModel(modelFile + ": cannot read graph inputs/outputs: " + e.getMessage(), e);
    }
  }

  /** Opens the graph at {@code modelFile}. */
  public static OnnxRunner open(Path modelFile, BackendOptions options) {
    return new OnnxRunner(modelFile, options);
  }

  public Path modelFile() {
    return modelFile;
  }

  /**
   * The graph's float outputs with their declared shapes, in graph order; a dynamic dimension
   * (batch, tokens) is -1.
   */
  public Map<String, long[]> floatOutputs() {
    Map<String, long[]> copy = new LinkedHashMap<>();
    floatOutputs.forEach((k, v) -> copy.put(k, v.clone()));
    return copy;
  }

  public boolean hasTokenTypeIds() {
    return session.hasTokenTypeIds();
  }

  /** Runs a batch and returns the named output, which must be a float tensor. */
  public FloatTensor run(TokenBatch batch, String outputName) {
    if (!floatOutputs.containsKey(outputName)) {
      throw new Embed4jException.InvalidModel(modelFile + ": no float output '" + outputName + "'; float outputs: " + floatOutputs.keySet());
    }
    return session.run(batch, outputName, out -> new FloatTensor(OnnxTokenSession.floats(out), out.getInfo().getShape()));
  }

  @Override
  public void close() {
    session.close();
  }

  @Override
  public String toString() {
    return "OnnxRunner[" + modelFile.getFileName() + ", outputs=" + floatOutputs.keySet() + "]";
  }
}

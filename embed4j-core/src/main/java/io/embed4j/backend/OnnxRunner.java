package io.embed4j.backend;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.embed4j.Embed4jException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
  private final OrtEnvironment env;
  private final OrtSession session;
  private final boolean hasTokenTypeIds;
  private final Map<String, long[]> floatOutputs;

  private OnnxRunner(Path modelFile, BackendOptions options) {
    if (!Files.isRegularFile(modelFile)) {
      throw new Embed4jException.InvalidModel("ONNX model file not found: " + modelFile);
    }
    this.modelFile = modelFile;
    this.env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
    try {
      this.session = OnnxBackend.createSession(env, modelFile, options);
    } catch (OrtException e) {
      throw new Embed4jException.InvalidModel(modelFile + " is not a loadable ONNX model: " + e.getMessage(), e);
    }
    try {
      Set<String> inputs = session.getInputNames();
      for (String required : List.of("input_ids", "attention_mask")) {
        if (!inputs.contains(required)) {
          close();
          throw new Embed4jException.InvalidModel(modelFile + ": the graph has no '" + required + "' input (inputs: " + inputs + ")");
        }
      }
      this.hasTokenTypeIds = inputs.contains("token_type_ids");
      Map<String, long[]> outs = new LinkedHashMap<>();
      for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
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
    return hasTokenTypeIds;
  }

  /** Runs a batch and returns the named output, which must be a float tensor. */
  public FloatTensor run(TokenBatch batch, String outputName) {
    if (!floatOutputs.containsKey(outputName)) {
      throw new Embed4jException.InvalidModel(modelFile + ": no float output '" + outputName + "'; float outputs: " + floatOutputs.keySet());
    }
    long[] shape = {batch.size(), batch.seqLen()};
    Map<String, OnnxTensor> inputs = new HashMap<>(4);
    try {
      inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(batch.inputIds()), shape));
      inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(batch.attentionMask()), shape));
      if (hasTokenTypeIds) {
        inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(batch.tokenTypeIds()), shape));
      }
      try (OrtSession.Result result = session.run(inputs, Set.of(outputName))) {
        OnnxTensor out = (OnnxTensor) result.get(0);
        long[] outShape = out.getInfo().getShape();
        FloatBuffer fb = out.getFloatBuffer();
        float[] values;
        if (fb.hasArray() && fb.arrayOffset() == 0 && fb.position() == 0 && fb.array().length == fb.remaining()) {
          values = fb.array(); // ONNX Runtime already copied into a fresh heap buffer: take its array
        } else {
          values = new float[fb.remaining()];
          fb.get(values);
        }
        return new FloatTensor(values, outShape);
      }
    } catch (OrtException e) {
      throw new Embed4jException("ONNX Runtime failed on a batch of " + batch.size() + "x" + batch.seqLen() + " tokens: " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      // Closing twice or after a failed load is harmless.
    }
  }

  @Override
  public String toString() {
    return "OnnxRunner[" + modelFile.getFileName() + ", outputs=" + floatOutputs.keySet() + "]";
  }
}

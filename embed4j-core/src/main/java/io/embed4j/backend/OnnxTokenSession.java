package io.embed4j.backend;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import io.embed4j.Embed4jException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX graph fed with token batches ({@code input_ids}, {@code attention_mask} and, when the
 * graph has it, {@code token_type_ids}): what {@link OnnxBackend} and {@link OnnxRunner} share,
 * which differ only in the output they read. Safe to run from several threads at once.
 */
final class OnnxTokenSession implements AutoCloseable {
  /** Reads the one output a run asked for. */
  @FunctionalInterface
  interface OutputReader<T> {
    T read(OnnxTensor output) throws OrtException;
  }

  private final OrtEnvironment env;
  private final OrtSession session;
  private final boolean hasTokenTypeIds;

  /** Opens {@code modelFile}, failing with {@link Embed4jException.InvalidModel} unless it takes token batches. */
  OnnxTokenSession(Path modelFile, BackendOptions options) {
    if (!Files.isRegularFile(modelFile)) {
      throw new Embed4jException.InvalidModel("ONNX model file not found: " + modelFile);
    }
    this.env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
    try {
      this.session = OnnxBackend.createSession(env, modelFile, options);
    } catch (OrtException e) {
      throw new Embed4jException.InvalidModel(modelFile + " is not a loadable ONNX model: " + e.getMessage(), e);
    }
    Set<String> inputs = session.getInputNames();
    for (String required : List.of("input_ids", "attention_mask")) {
      if (!inputs.contains(required)) {
        close();
        throw new Embed4jException.InvalidModel(modelFile + ": the graph has no '" + required + "' input (inputs: " + inputs + ")");
      }
    }
    this.hasTokenTypeIds = inputs.contains("token_type_ids");
  }

  boolean hasTokenTypeIds() {
    return hasTokenTypeIds;
  }

  /** The graph's outputs by name. */
  Map<String, NodeInfo> outputInfo() throws OrtException {
    return session.getOutputInfo();
  }

  /** An output's values; ONNX Runtime copies them into a fresh heap buffer, whose array is taken as it is. */
  static float[] floats(OnnxTensor output) {
    FloatBuffer fb = output.getFloatBuffer();
    if (fb.hasArray() && fb.arrayOffset() == 0 && fb.position() == 0 && fb.array().length == fb.remaining()) {
      return fb.array();
    }
    float[] values = new float[fb.remaining()];
    fb.get(values);
    return values;
  }

  /** Runs {@code batch} and reads {@code outputName} from the result before it is freed. */
  <T> T run(TokenBatch batch, String outputName, OutputReader<T> reader) {
    long[] shape = {batch.size(), batch.seqLen()};
    Map<String, OnnxTensor> inputs = new HashMap<>(4);
    try {
      inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(batch.inputIds()), shape));
      inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(batch.attentionMask()), shape));
      if (hasTokenTypeIds) {
        inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(batch.tokenTypeIds()), shape));
      }
      try (OrtSession.Result result = session.run(inputs, Set.of(outputName))) {
        return reader.read((OnnxTensor) result.get(0));
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
}

package io.embed4j.backend;

import java.nio.file.Path;

/**
 * Runs a transformer encoder on token batches. Implementations must be safe to call from several
 * threads at once. No tokenizer or pooling here: that stays in embed4j-core's pipeline, so every
 * backend pools and normalizes the same way.
 */
public interface InferenceBackend extends AutoCloseable {
  /** Short name of the backend ("onnxruntime", "pytorch"). */
  String name();

  /** Width of the output embeddings (hidden size). */
  int outputWidth();

  /** Whether {@link #run} returns already-pooled sentence embeddings. */
  boolean outputsPooled();

  EncoderOutput run(TokenBatch batch);

  @Override
  void close();

  /** Creates backends of one kind; found by {@link #name()} through {@link java.util.ServiceLoader}. */
  interface Provider {
    String name();

    /** Opens the model at {@code modelFile} (an .onnx file for ONNX Runtime). */
    InferenceBackend open(Path modelFile, BackendOptions options);
  }
}

package io.embed4j.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.embed4j.backend.BackendOptions;
import io.embed4j.backend.EncoderOutput;
import io.embed4j.backend.InferenceBackend;
import io.embed4j.backend.TokenBatch;
import io.embed4j.pooling.PoolingMode;
import java.nio.file.Path;
import java.util.List;

/**
 * The "pytorch" inference backend: {@link BertEncoder} in float32, returning token embeddings so
 * embed4j-core pools and normalizes exactly as for ONNX Runtime. Weights come from the model
 * directory's model.safetensors + config.json when present, else from the ONNX graph itself.
 * PyTorch's thread pool is process-wide ({@code embed4j.torch.threads}); calls are serialized.
 */
public final class TorchBackend implements InferenceBackend {
  private final BertEncoder encoder;

  /** Registered for {@link java.util.ServiceLoader} under the name "pytorch". */
  public static final class Provider implements InferenceBackend.Provider {
    @Override
    public String name() {
      return "pytorch";
    }

    @Override
    public InferenceBackend open(Path modelFile, BackendOptions options) {
      Path dir = modelFile.toAbsolutePath().getParent();
      if (dir != null && dir.getFileName() != null && dir.getFileName().toString().equals("onnx")) {
        dir = dir.getParent();
      }
      ModelWeights w = ModelWeights.load(modelFile, dir);
      return new TorchBackend(BertEncoder.of(w.config(), w.weights(), List.of(PoolingMode.MEAN), false, DataType.FLOAT32));
    }
  }

  public TorchBackend(BertEncoder encoder) {
    this.encoder = encoder;
  }

  @Override
  public String name() {
    return "pytorch";
  }

  @Override
  public int outputWidth() {
    return encoder.config().hiddenSize();
  }

  @Override
  public boolean outputsPooled() {
    return false;
  }

  @Override
  public synchronized EncoderOutput run(TokenBatch batch) {
    try (NDManager m = Torch.engine().newBaseManager()) {
      NDArray[] in = BertEncoder.inputs(m, batch);
      NDArray tokens = encoder.tokenEmbeddings(in[0], in[1], in[2]);
      return new EncoderOutput(tokens.toFloatArray(), batch.size(), batch.seqLen(), encoder.config().hiddenSize(), false);
    }
  }

  @Override
  public void close() {
    encoder.close();
  }
}

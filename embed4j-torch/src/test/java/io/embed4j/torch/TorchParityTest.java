package io.embed4j.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.embed4j.EmbeddingModel;
import io.embed4j.backend.BackendOptions;
import io.embed4j.backend.TokenBatch;
import io.embed4j.model.ModelFiles;
import io.embed4j.model.ModelResolver;
import io.embed4j.tokenize.TokenizedText;
import io.embed4j.vector.VectorMath;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The trainable encoder computes what ONNX Runtime computes, for every fp32 catalog model. */
class TorchParityTest {
  static final List<String> TEXTS = List.of(
      "hello world",
      "The quick brown fox jumps over the lazy dog near the riverbank at dawn.",
      "Vitamin D deficiency is associated with an increased risk of respiratory infections in children. "
          + "A randomized trial found supplementation reduced the incidence of influenza A.",
      "a");

  @ParameterizedTest
  @ValueSource(strings = {"all-MiniLM-L6-v2", "bge-small-en-v1.5", "e5-small-v2"})
  void pytorchBackendEmbeddingsEqualOnnxRuntimes(String name) {
    ModelFiles files = ModelResolver.resolve(name);
    try (EmbeddingModel ort = EmbeddingModel.load(files, BackendOptions.defaults(), "onnxruntime");
        EmbeddingModel torch = EmbeddingModel.load(files, BackendOptions.defaults(), "pytorch")) {
      float[][] a = ort.encode(TEXTS);
      float[][] b = torch.encode(TEXTS);
      for (int i = 0; i < TEXTS.size(); i++) {
        float cos = VectorMath.cosine(a[i], b[i]);
        assertTrue(cos >= 0.99999f, name + " text " + i + ": cosine " + cos);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"all-MiniLM-L6-v2", "bge-small-en-v1.5"})
  void encoderPoolingAndNormalizationEqualTheInferencePipelines(String name) {
    ModelFiles files = ModelResolver.resolve(name);
    ModelWeights w = ModelWeights.load(files);
    assertEquals(12, w.config().heads(), "heads read from the graph");
    try (EmbeddingModel ort = EmbeddingModel.load(files, BackendOptions.defaults(), "onnxruntime");
        BertEncoder encoder = w.encoder(files, DataType.FLOAT32);
        NDManager m = Torch.engine().newBaseManager()) {
      float[][] expected = ort.encode(TEXTS);
      TokenizedText[] tokens = ort.tokenizer().tokenize(TEXTS);
      TokenBatch batch = Batches.pad(List.of(tokens), ort.maxSeqLength());
      NDArray e = encoder.sentenceEmbeddings(m, batch);
      float[] flat = e.toFloatArray();
      int d = encoder.dimensions();
      for (int i = 0; i < TEXTS.size(); i++) {
        float[] v = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
        float cos = VectorMath.cosine(expected[i], v);
        assertTrue(cos >= 0.99999f, name + " text " + i + ": cosine " + cos);
        assertEquals(1.0, VectorMath.dot(v, v), 1e-5, "normalized");
      }
    }
  }
}

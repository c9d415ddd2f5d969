package io.embed4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.Embed4jException;
import io.embed4j.EmbeddingModel;
import io.embed4j.SharedData;
import io.embed4j.pooling.PoolingMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model directory in sentence-transformers layout: the real all-MiniLM-L6-v2 configuration files. */
class SentenceTransformersDirectoryTest {
  @TempDir Path tmp;

  private Path miniLmDirectory() throws IOException {
    Path shared = SharedData.require("models/all-MiniLM-L6-v2");
    Path dir = tmp.resolve("all-MiniLM-L6-v2");
    copyTree(shared, dir);
    Files.createDirectories(dir.resolve("onnx"));
    Path onnx = ModelResolver.catalogFiles(ModelCatalog.find("all-MiniLM-L6-v2").orElseThrow()).onnxModel();
    Files.createSymbolicLink(dir.resolve("onnx/model.onnx"), onnx);
    return dir;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  @Test
  void readsModulesPoolingAndMaxSeqLength() throws IOException {
    ModelFiles files = SentenceTransformersConfig.read(miniLmDirectory(), "mini");
    assertEquals(List.of(PoolingMode.MEAN), files.config().pooling());
    assertTrue(files.config().normalize());
    assertEquals(256, files.config().maxSeqLength());
    assertTrue(files.onnxModel().endsWith("onnx/model.onnx"));
  }

  @Test
  void directoryModelEncodesLikeTheCatalogModel() throws IOException {
    try (EmbeddingModel dir = EmbeddingModel.load(miniLmDirectory().toString());
        EmbeddingModel catalog = EmbeddingModel.load("all-MiniLM-L6-v2")) {
      assertArrayEquals(catalog.encode("hello world"), dir.encode("hello world"), 1e-6f);
    }
  }

  @Test
  void denseLayerFromSafetensorsIsApplied() throws IOException {
    Path dir = miniLmDirectory();
    Files.writeString(dir.resolve("modules.json"), """
        [{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},
         {"idx":1,"name":"1","path":"1_Pooling","type":"sentence_transformers.models.Pooling"},
         {"idx":2,"name":"2","path":"2_Dense","type":"sentence_transformers.models.Dense"}]""");
    Path dense = Files.createDirectories(dir.resolve("2_Dense"));
    Files.writeString(dense.resolve("config.json"),
        "{\"in_features\":384,\"out_features\":2,\"bias\":true,\"activation_function\":\"torch.nn.modules.activation.Tanh\"}");
    float[] w = new float[2 * 384];
    w[0] = 1f; // output 0 = tanh(x0 + 0.5)
    w[384 + 1] = 2f; // output 1 = tanh(2 x1 - 0.25)
    writeSafetensors(dense.resolve("model.safetensors"), w, new float[] {0.5f, -0.25f});
    try (EmbeddingModel withDense = EmbeddingModel.load(dir.toString());
        EmbeddingModel plain = EmbeddingModel.load("all-MiniLM-L6-v2")) {
      float[] raw = plain.encode(List.of("dense layer"), io.embed4j.encode.EncodeOptions.defaults().withNormalize(false))[0];
      float[] v = withDense.encode("dense layer");
      assertEquals(2, v.length);
      assertEquals(Math.tanh(raw[0] + 0.5), v[0], 1e-5);
      assertEquals(Math.tanh(2 * raw[1] - 0.25), v[1], 1e-5);
    }
  }

  private static void writeSafetensors(Path file, float[] weight, float[] bias) throws IOException {
    String header = "{\"linear.weight\":{\"dtype\":\"F32\",\"shape\":[2,384],\"data_offsets\":[0," + weight.length * 4 + "]},"
        + "\"linear.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + weight.length * 4 + "," + (weight.length + 2) * 4 + "]}}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + (weight.length + bias.length) * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    for (float x : weight) {
      b.putFloat(x);
    }
    for (float x : bias) {
      b.putFloat(x);
    }
    Files.write(file, b.array());
  }

  @Test
  void unknownModuleTypeListsTheSupportedOnes() throws IOException {
    Path dir = miniLmDirectory();
    Files.writeString(dir.resolve("modules.json"), "[{\"idx\":0,\"name\":\"0\",\"path\":\"\",\"type\":\"sentence_transformers.models.LSTM\"}]");
    var e = assertThrows(Embed4jException.InvalidModel.class, () -> SentenceTransformersConfig.read(dir, "x"));
    assertTrue(e.getMessage().contains("LSTM") && e.getMessage().contains("[Transformer, Pooling, Dense, Normalize]"), e.getMessage());
  }

  @Test
  void missingWeightsAreNamed() throws IOException {
    Path dir = miniLmDirectory();
    Files.delete(dir.resolve("onnx/model.onnx"));
    var e = assertThrows(Embed4jException.InvalidModel.class, () -> SentenceTransformersConfig.read(dir, "x"));
    assertTrue(e.getMessage().contains("no ONNX weights at onnx/model.onnx or model.onnx"), e.getMessage());
  }

  @Test
  void promptsAndSimilarityComeFromConfigSentenceTransformers() throws IOException {
    Path dir = miniLmDirectory();
    Files.writeString(dir.resolve("config_sentence_transformers.json"),
        "{\"prompts\":{\"query\":\"query: \",\"passage\":\"passage: \"},\"default_prompt_name\":null,\"similarity_fn_name\":\"dot\"}");
    ModelConfig c = SentenceTransformersConfig.read(dir, "x").config();
    assertEquals("query: ", c.queryPrompt());
    assertEquals("passage: ", c.documentPrompt());
    assertEquals(io.embed4j.vector.SimilarityFunction.DOT, c.similarity());
  }
}

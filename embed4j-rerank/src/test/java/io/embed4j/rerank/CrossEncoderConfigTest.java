package io.embed4j.rerank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.Embed4jException;
import io.embed4j.SharedData;
import io.embed4j.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading cross-encoder directories: the Hub's layout, activations, and errors that say what to fix. */
class CrossEncoderConfigTest {
  @TempDir Path dir;

  @Test
  void realMsMarcoTinyBertLayoutLoadsWithIdentityAndMaxLength512() throws IOException {
    Path shared = SharedData.require("models/ms-marco-TinyBERT-L-2-v2-config");
    Path tokenizer = SharedData.require("models/stand-ins/bert-base-uncased-tokenizer.json"); // same vocab.txt
    Path model = dir.resolve("ms-marco-TinyBERT-L-2-v2");
    Files.createDirectories(model);
    for (String f : List.of("config.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt")) {
      Files.copy(shared.resolve(f), model.resolve(f));
    }
    Files.copy(tokenizer, model.resolve("tokenizer.json"));
    TinyModels.crossEncoderGraph(1, "logits").write(model.resolve("onnx/model.onnx"));

    CrossEncoderConfig c = CrossEncoderConfig.read(model, "ms-marco-TinyBERT-L-2-v2");
    assertEquals(List.of("LABEL_0"), c.labels());
    assertEquals(Activation.IDENTITY, c.activation(), "sbert_ce_default_activation_function says Identity");
    assertEquals(512, c.maxLength());
    assertEquals(List.of("BertForSequenceClassification"), c.architectures());
    try (CrossEncoder ce = CrossEncoder.load(model.toString())) {
      // bert-base-uncased: "berlin has 3.5 million people" -> berlin has 3 . 5 million people = 7 tokens
      assertEquals(0.5f * 8 - 2, ce.predict("how many people live in berlin?", "Berlin has 3.5 million people"), 1e-6f);
    }
  }

  @Test
  void labelsComeFromId2labelInIdOrder() throws IOException {
    Files.writeString(dir.resolve("config.json"), "{\"id2label\": {\"1\": \"entailment\", \"0\": \"contradiction\", \"2\": \"neutral\"}}");
    Path model = withFiles(3);
    CrossEncoderConfig c = CrossEncoderConfig.read(model, "nli");
    assertEquals(List.of("contradiction", "entailment", "neutral"), c.labels());
    assertEquals(Activation.IDENTITY, c.activation());
  }

  @Test
  void numLabelsDisagreeingWithId2labelIsAnError() throws IOException {
    Files.writeString(dir.resolve("config.json"), "{\"num_labels\": 2, \"id2label\": {\"0\": \"LABEL_0\"}}");
    var e = assertThrows(Embed4jException.InvalidModel.class, () -> CrossEncoderConfig.read(withFiles(1), "x"));
    assertTrue(e.getMessage().contains("num_labels is 2 but id2label names 1"), e.getMessage());
  }

  @Test
  void unknownActivationNamesTheSupportedOnes() throws IOException {
    Files.writeString(dir.resolve("config.json"), "{\"id2label\": {\"0\": \"LABEL_0\"}, \"sbert_ce_default_activation_function\": \"torch.nn.GELU\"}");
    var e = assertThrows(Embed4jException.InvalidModel.class, () -> CrossEncoderConfig.read(withFiles(1), "x"));
    assertTrue(e.getMessage().contains("unknown activation 'torch.nn.GELU'") && e.getMessage().contains("sigmoid"), e.getMessage());
  }

  @Test
  void tokenizerConfigModelMaxLengthSetsTheMaxLength() throws IOException {
    Files.writeString(dir.resolve("config.json"), "{\"id2label\": {\"0\": \"LABEL_0\"}, \"max_position_embeddings\": 512}");
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 256}");
    assertEquals(256, CrossEncoderConfig.read(withFiles(1), "x").maxLength());
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 1000000000000000019884624838656}");
    assertEquals(512, CrossEncoderConfig.read(dir, "x").maxLength(), "transformers' 'unset' value falls back to the positions");
  }

  @Test
  void missingFilesSayWhatADirectoryNeeds() throws IOException {
    var noConfig = assertThrows(Embed4jException.InvalidModel.class, () -> CrossEncoderConfig.read(dir, "x"));
    assertTrue(noConfig.getMessage().contains("no config.json"), noConfig.getMessage());
    Files.writeString(dir.resolve("config.json"), "{\"id2label\": {\"0\": \"LABEL_0\"}}");
    var noTokenizer = assertThrows(Embed4jException.InvalidModel.class, () -> CrossEncoderConfig.read(dir, "x"));
    assertTrue(noTokenizer.getMessage().contains("no tokenizer.json"), noTokenizer.getMessage());
    io.embed4j.testing.TestModels.tinyTokenizer(dir);
    var noOnnx = assertThrows(Embed4jException.InvalidModel.class, () -> CrossEncoderConfig.read(dir, "x"));
    assertTrue(noOnnx.getMessage().contains("no ONNX weights at onnx/model.onnx or model.onnx"), noOnnx.getMessage());
    var notFound = assertThrows(Embed4jException.ModelNotFound.class, () -> CrossEncoder.load(dir.resolve("nope").toString()));
    assertTrue(notFound.getMessage().contains("not an existing directory or a Hub id"), notFound.getMessage());
  }

  @Test
  void aGraphWithoutLogitsIsRefusedNamingItsOutputs() throws IOException {
    Path model = TinyModels.crossEncoder(dir, 1, "");
    TinyModels.crossEncoderGraph(1, "sentence_embedding").write(model.resolve("onnx/model.onnx"));
    var e = assertThrows(Embed4jException.InvalidModel.class, () -> CrossEncoder.load(model.toString()));
    assertTrue(e.getMessage().contains("no 'logits' output (float outputs: [sentence_embedding])"), e.getMessage());
  }

  @Test
  void logitsWithMoreLabelsThanTheConfigIsRefused() {
    Path model = TinyModels.crossEncoder(dir, 1, "");
    TinyModels.crossEncoderGraph(2, "logits").write(model.resolve("onnx/model.onnx"));
    var e = assertThrows(Embed4jException.InvalidModel.class, () -> CrossEncoder.load(model.toString()));
    assertTrue(e.getMessage().contains("expected [batch, 1]"), e.getMessage());
  }

  private Path withFiles(int labels) {
    io.embed4j.testing.TestModels.tinyTokenizer(dir);
    TinyModels.crossEncoderGraph(labels, "logits").write(dir.resolve("onnx/model.onnx"));
    return dir;
  }
}

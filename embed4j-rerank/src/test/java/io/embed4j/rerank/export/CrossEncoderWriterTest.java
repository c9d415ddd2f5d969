package io.embed4j.rerank.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.embed4j.backend.OnnxGraphBuilder;
import io.embed4j.rerank.Activation;
import io.embed4j.rerank.CrossEncoder;
import io.embed4j.rerank.CrossEncoderConfig;
import io.embed4j.rerank.CrossEncoderOptions;
import io.embed4j.rerank.TextPair;
import io.embed4j.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A classification head appended to an encoder graph computes what the head computes in plain Java. */
class CrossEncoderWriterTest {
  private static final int H = 4;

  @TempDir Path dir;

  // An "encoder" whose hidden state is known: hidden[b, t, i] = input_ids[b, t] * (i + 1) + token_type_ids[b, t]
  private Path encoder() {
    return OnnxGraphBuilder.graph("tiny-encoder")
        .input("input_ids", OnnxGraphBuilder.INT64, "batch", "tokens")
        .input("attention_mask", OnnxGraphBuilder.INT64, "batch", "tokens")
        .input("token_type_ids", OnnxGraphBuilder.INT64, "batch", "tokens")
        .output("last_hidden_state", OnnxGraphBuilder.FLOAT, "batch", "tokens", H)
        .longs("last", new long[] {-1}, 1)
        .floats("ramp", new float[] {1, 2, 3, 4}, H)
        .node("Cast", List.of("input_ids"), List.of("ids"), OnnxGraphBuilder.intAttr("to", OnnxGraphBuilder.FLOAT))
        .node("Cast", List.of("token_type_ids"), List.of("types"), OnnxGraphBuilder.intAttr("to", OnnxGraphBuilder.FLOAT))
        .node("Unsqueeze", List.of("ids", "last"), List.of("ids3"))
        .node("Unsqueeze", List.of("types", "last"), List.of("types3"))
        .node("Mul", List.of("ids3", "ramp"), List.of("scaled"))
        .node("Add", List.of("scaled", "types3"), List.of("last_hidden_state"))
        .write(dir.resolve("encoder.onnx"));
  }

  @Test
  void logitsOfTheWrittenModelEqualTheHeadAppliedToTheClsState() throws Exception {
    ClassifierHead head = ClassifierHead.initial(H, 1, null, 7);
    Path tokenizer = TestModels.tinyTokenizer(dir.resolve("tok"));
    Path out = CrossEncoderWriter.write(dir.resolve("ce"), encoder(), "last_hidden_state", tokenizer, null, head, Activation.SIGMOID, 128);

    CrossEncoderConfig c = CrossEncoderConfig.read(out, "ce");
    assertEquals(Activation.SIGMOID, c.activation());
    assertEquals(128, c.maxLength());
    assertEquals(List.of("BertForSequenceClassification"), c.architectures());
    assertEquals(List.of("LABEL_0"), c.labels());
    float[] cls = new float[H];
    for (int i = 0; i < H; i++) {
      cls[i] = TestModels.CLS * (i + 1); // [CLS] has type 0
    }
    float want = head.logits(cls)[0];
    try (CrossEncoder ce = CrossEncoder.load(out.toString(), CrossEncoderOptions.defaults().withActivation(Activation.IDENTITY))) {
      float[] got = ce.predict(List.of(TextPair.of("the cat", "a dog"), TextPair.of("", "")));
      assertArrayEquals(new float[] {want, want}, got, 1e-5f);
    }
  }

  @Test
  void twoLabelsAndABaseConfigKeepTheEncodersFields() throws Exception {
    ClassifierHead head = ClassifierHead.initial(H, 2, new float[][] {new float[H * H], new float[H]}, 3);
    Path tokenizer = TestModels.tinyTokenizer(dir.resolve("tok"));
    var base = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"architectures\": [\"BertModel\"], \"num_hidden_layers\": 6, \"max_position_embeddings\": 512}");
    Path out = CrossEncoderWriter.write(dir.resolve("nli"), encoder(), "last_hidden_state", tokenizer, base, head, Activation.SOFTMAX, 64);
    var written = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(out.resolve("config.json")));
    assertEquals(6, written.get("num_hidden_layers").asInt());
    assertEquals("torch.nn.modules.activation.Softmax", written.get("sentence_transformers").get("activation_fn").asText());
    try (CrossEncoder ce = CrossEncoder.load(out.toString())) {
      // a zero pooler gives tanh(0) = 0 and so logits equal to the (zero) biases: softmax of (0, 0)
      assertArrayEquals(new float[] {0.5f, 0.5f}, ce.predictAll(List.of(TextPair.of("cat", "dog")))[0], 1e-6f);
    }
  }
}

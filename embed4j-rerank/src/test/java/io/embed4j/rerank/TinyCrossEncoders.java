package io.embed4j.rerank;

import io.embed4j.testing.OnnxGraphs;
import io.embed4j.testing.TestModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Cross-encoder directories whose "model" is a hand-written ONNX graph with a score anyone can
 * compute: {@code logits[b, 0] = 0.5 * (tokens of type 1) - 2}, the tokens of type 1 being the
 * second text's tokens plus its closing [SEP]. With two labels, label 1 is the count of type-0
 * tokens ([CLS], first text, [SEP]) instead.
 */
final class TinyCrossEncoders {
  private TinyCrossEncoders() {}

  /** The one-label logit for a pair whose second text has {@code secondTokens} tokens after truncation. */
  static float logit(int secondTokens) {
    return 0.5f * (secondTokens + 1) - 2f;
  }

  static float sigmoid(float x) {
    return (float) (1.0 / (1.0 + Math.exp(-x)));
  }

  /** A directory with config.json (extra JSON fields spliced in), the tiny tokenizer and onnx/model.onnx. */
  static Path write(Path dir, int labels, String extraConfig) {
    try {
      Files.createDirectories(dir);
      StringBuilder id2label = new StringBuilder();
      for (int i = 0; i < labels; i++) {
        id2label.append(i == 0 ? "" : ", ").append('"').append(i).append("\": \"LABEL_").append(i).append('"');
      }
      Files.writeString(dir.resolve("config.json"), "{\"architectures\": [\"BertForSequenceClassification\"],"
          + " \"model_type\": \"bert\", \"max_position_embeddings\": 512, \"id2label\": {" + id2label + "}"
          + (extraConfig.isEmpty() ? "" : ", " + extraConfig) + "}");
      TestModels.tinyTokenizer(dir);
      graph(labels, "logits").write(dir.resolve("onnx/model.onnx"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static OnnxGraphs.Builder graph(int labels, String output) {
    OnnxGraphs.Builder g = OnnxGraphs.graph("tiny-cross-encoder")
        .input("input_ids", OnnxGraphs.INT64, "batch", "tokens")
        .input("attention_mask", OnnxGraphs.INT64, "batch", "tokens")
        .input("token_type_ids", OnnxGraphs.INT64, "batch", "tokens")
        .output(output, OnnxGraphs.FLOAT, "batch", labels)
        .longs("axes", new long[] {1}, 1)
        .floats("half", new float[] {0.5f})
        .floats("two", new float[] {2f})
        .node("Mul", List.of("attention_mask", "token_type_ids"), List.of("second"))
        .node("Cast", List.of("second"), List.of("secondf"), OnnxGraphs.intAttr("to", OnnxGraphs.FLOAT))
        .node("ReduceSum", List.of("secondf", "axes"), List.of("count"), OnnxGraphs.intAttr("keepdims", 1))
        .node("Mul", List.of("count", "half"), List.of("scaled"));
    if (labels == 1) {
      return g.node("Sub", List.of("scaled", "two"), List.of(output));
    }
    return g.node("Cast", List.of("attention_mask"), List.of("maskf"), OnnxGraphs.intAttr("to", OnnxGraphs.FLOAT))
        .node("ReduceSum", List.of("maskf", "axes"), List.of("all"), OnnxGraphs.intAttr("keepdims", 1))
        .node("Sub", List.of("all", "count"), List.of("first"))
        .node("Concat", List.of("count", "first"), List.of(output), OnnxGraphs.intAttr("axis", 1));
  }
}

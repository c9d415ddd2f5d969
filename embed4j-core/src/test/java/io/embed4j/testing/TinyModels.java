package io.embed4j.testing;

import io.embed4j.backend.OnnxGraphBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Model directories whose "weights" are hand-written ONNX graphs with outputs anyone can compute,
 * over the {@link TestModels#tinyTokenizer tiny tokenizer}, for tests of the cross-encoder and SPLADE
 * pipelines in any module.
 *
 * <p>Cross-encoder: {@code logits[b, 0] = 0.5 * (tokens of type 1) - 2}, the tokens of type 1 being
 * the second text's tokens plus its closing [SEP]. With two labels, label 0 is that count and label 1
 * the count of type-0 tokens ([CLS], first text, [SEP]).
 *
 * <p>Masked LM (SPLADE): {@code logits[b, t, v] = (v == input_ids[b, t] ? 1 : -1) * position}, the
 * position being the 1-based index of token t among the real tokens ({@code CumSum} of the attention
 * mask). SPLADE max pooling gives each distinct token of a text {@code log(1 + last position it
 * occurs at)}; padding ([PAD], id 0) would show up with {@code log(1 + length)} if the mask were ignored.
 */
public final class TinyModels {
  private TinyModels() {}

  /** The one-label cross-encoder logit of a pair whose second text has {@code secondTokens} tokens after truncation. */
  public static float crossEncoderLogit(int secondTokens) {
    return 0.5f * (secondTokens + 1) - 2f;
  }

  public static float sigmoid(float x) {
    return (float) (1.0 / (1.0 + Math.exp(-x)));
  }

  /** A cross-encoder directory: config.json (extra JSON fields spliced in), the tiny tokenizer, onnx/model.onnx. */
  public static Path crossEncoder(Path dir, int labels, String extraConfig) {
    StringBuilder id2label = new StringBuilder();
    for (int i = 0; i < labels; i++) {
      id2label.append(i == 0 ? "" : ", ").append('"').append(i).append("\": \"LABEL_").append(i).append('"');
    }
    writeString(dir.resolve("config.json"), "{\"architectures\": [\"BertForSequenceClassification\"],"
        + " \"model_type\": \"bert\", \"max_position_embeddings\": 512, \"id2label\": {" + id2label + "}"
        + (extraConfig.isEmpty() ? "" : ", " + extraConfig) + "}");
    TestModels.tinyTokenizer(dir);
    crossEncoderGraph(labels, "logits").write(dir.resolve("onnx/model.onnx"));
    return dir;
  }

  public static OnnxGraphBuilder crossEncoderGraph(int labels, String output) {
    OnnxGraphBuilder g = OnnxGraphBuilder.graph("tiny-cross-encoder")
        .input("input_ids", OnnxGraphBuilder.INT64, "batch", "tokens")
        .input("attention_mask", OnnxGraphBuilder.INT64, "batch", "tokens")
        .input("token_type_ids", OnnxGraphBuilder.INT64, "batch", "tokens")
        .output(output, OnnxGraphBuilder.FLOAT, "batch", labels)
        .longs("axes", new long[] {1}, 1)
        .floats("half", new float[] {0.5f})
        .floats("two", new float[] {2f})
        .node("Mul", List.of("attention_mask", "token_type_ids"), List.of("second"))
        .node("Cast", List.of("second"), List.of("secondf"), OnnxGraphBuilder.intAttr("to", OnnxGraphBuilder.FLOAT))
        .node("ReduceSum", List.of("secondf", "axes"), List.of("count"), OnnxGraphBuilder.intAttr("keepdims", 1))
        .node("Mul", List.of("count", "half"), List.of("scaled"));
    if (labels == 1) {
      return g.node("Sub", List.of("scaled", "two"), List.of(output));
    }
    return g.node("Cast", List.of("attention_mask"), List.of("maskf"), OnnxGraphBuilder.intAttr("to", OnnxGraphBuilder.FLOAT))
        .node("ReduceSum", List.of("maskf", "axes"), List.of("all"), OnnxGraphBuilder.intAttr("keepdims", 1))
        .node("Sub", List.of("all", "count"), List.of("first"))
        .node("Concat", List.of("count", "first"), List.of(output), OnnxGraphBuilder.intAttr("axis", 1));
  }

  /** A masked-LM directory: config.json, the tiny tokenizer, onnx/model.onnx with {@code logits}. */
  public static Path splade(Path dir) {
    TestModels.tinyTokenizer(dir);
    spladeGraph("logits").write(dir.resolve("onnx/model.onnx"));
    writeString(dir.resolve("config.json"), "{\"architectures\": [\"BertForMaskedLM\"], \"max_position_embeddings\": 512}");
    return dir;
  }

  public static OnnxGraphBuilder spladeGraph(String output) {
    return OnnxGraphBuilder.graph("tiny-mlm")
        .input("input_ids", OnnxGraphBuilder.INT64, "batch", "tokens")
        .input("attention_mask", OnnxGraphBuilder.INT64, "batch", "tokens")
        .input("token_type_ids", OnnxGraphBuilder.INT64, "batch", "tokens")
        .output(output, OnnxGraphBuilder.FLOAT, "batch", "tokens", TestModels.TINY_VOCAB)
        .longs("axis", new long[] {1})
        .longs("last", new long[] {-1}, 1)
        .longs("depth", new long[] {TestModels.TINY_VOCAB})
        .floats("offon", new float[] {-1f, 1f}, 2)
        .node("Cast", List.of("attention_mask"), List.of("maskf"), OnnxGraphBuilder.intAttr("to", OnnxGraphBuilder.FLOAT))
        .node("CumSum", List.of("maskf", "axis"), List.of("position"))
        .node("Unsqueeze", List.of("position", "last"), List.of("position3"))
        .node("OneHot", List.of("input_ids", "depth", "offon"), List.of("onehot"), OnnxGraphBuilder.intAttr("axis", -1))
        .node("Mul", List.of("onehot", "position3"), List.of(output));
  }

  /** The max-pooled SPLADE weights of a token sequence (special tokens included), by hand: dense, one per vocabulary id. */
  public static float[] spladeWeights(long[] ids) {
    float[] w = new float[TestModels.TINY_VOCAB];
    for (int t = 0; t < ids.length; t++) {
      w[(int) ids[t]] = (float) Math.log1p(t + 1);
    }
    return w;
  }

  private static void writeString(Path file, String s) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

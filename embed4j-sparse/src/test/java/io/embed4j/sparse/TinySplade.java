package io.embed4j.sparse;

import io.embed4j.testing.OnnxGraphs;
import io.embed4j.testing.TestModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A masked-LM directory whose "model" is a hand-written ONNX graph with logits anyone can compute:
 * {@code logits[b, t, v] = (v == input_ids[b, t] ? 1 : -1) * position}, position being the 1-based
 * index of token t among the real tokens ({@code CumSum} of the attention mask). So SPLADE max
 * pooling gives each distinct token of a text {@code log(1 + last position it occurs at)}; padding
 * ([PAD], id 0) would show up with {@code log(1 + length)} if the mask were ignored.
 */
final class TinySplade {
  private TinySplade() {}

  static Path write(Path dir) {
    TestModels.tinyTokenizer(dir);
    graph("logits").write(dir.resolve("onnx/model.onnx"));
    try {
      Files.writeString(dir.resolve("config.json"), "{\"architectures\": [\"BertForMaskedLM\"], \"max_position_embeddings\": 512}");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  static OnnxGraphs.Builder graph(String output) {
    return OnnxGraphs.graph("tiny-mlm")
        .input("input_ids", OnnxGraphs.INT64, "batch", "tokens")
        .input("attention_mask", OnnxGraphs.INT64, "batch", "tokens")
        .input("token_type_ids", OnnxGraphs.INT64, "batch", "tokens")
        .output(output, OnnxGraphs.FLOAT, "batch", "tokens", TestModels.TINY_VOCAB)
        .longs("axis", new long[] {1})
        .longs("last", new long[] {-1}, 1)
        .longs("depth", new long[] {TestModels.TINY_VOCAB})
        .floats("offon", new float[] {-1f, 1f}, 2)
        .node("Cast", List.of("attention_mask"), List.of("maskf"), OnnxGraphs.intAttr("to", OnnxGraphs.FLOAT))
        .node("CumSum", List.of("maskf", "axis"), List.of("position"))
        .node("Unsqueeze", List.of("position", "last"), List.of("position3"))
        .node("OneHot", List.of("input_ids", "depth", "offon"), List.of("onehot"), OnnxGraphs.intAttr("axis", -1))
        .node("Mul", List.of("onehot", "position3"), List.of(output));
  }

  /** The expected max-pooled weights of a token sequence (special tokens included), by hand. */
  static float[] expectedMax(long[] ids) {
    float[] w = new float[TestModels.TINY_VOCAB];
    for (int t = 0; t < ids.length; t++) {
      w[(int) ids[t]] = (float) Math.log1p(t + 1);
    }
    return w;
  }
}

package io.embed4j.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.Embed4jException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A named float output with its shape, from a graph whose output is computed by hand. */
class OnnxRunnerTest {
  @TempDir Path dir;

  // scores[b, 0] = sum over t of attention_mask * token_type_ids; hidden[b, t, 0] = input_ids as float
  private Path countGraph() {
    return OnnxGraphBuilder.graph("count")
        .input("input_ids", OnnxGraphBuilder.INT64, "batch", "tokens")
        .input("attention_mask", OnnxGraphBuilder.INT64, "batch", "tokens")
        .input("token_type_ids", OnnxGraphBuilder.INT64, "batch", "tokens")
        .output("scores", OnnxGraphBuilder.FLOAT, "batch", 1)
        .output("hidden", OnnxGraphBuilder.FLOAT, "batch", "tokens", 1)
        .longs("axes", new long[] {1}, 1)
        .longs("last", new long[] {-1}, 1)
        .node("Mul", List.of("attention_mask", "token_type_ids"), List.of("both"))
        .node("Cast", List.of("both"), List.of("bothf"), OnnxGraphBuilder.intAttr("to", OnnxGraphBuilder.FLOAT))
        .node("ReduceSum", List.of("bothf", "axes"), List.of("scores"), OnnxGraphBuilder.intAttr("keepdims", 1))
        .node("Cast", List.of("input_ids"), List.of("idsf"), OnnxGraphBuilder.intAttr("to", OnnxGraphBuilder.FLOAT))
        .node("Unsqueeze", List.of("idsf", "last"), List.of("hidden"))
        .write(dir.resolve("count.onnx"));
  }

  private static TokenBatch batch() {
    // two rows of 4 tokens; row 1 has one padding token
    return new TokenBatch(2, 4,
        new long[] {5, 6, 7, 8, 9, 10, 11, 0},
        new long[] {1, 1, 1, 1, 1, 1, 1, 0},
        new long[] {0, 1, 1, 1, 0, 0, 1, 1},
        new int[] {4, 3});
  }

  @Test
  void returnsTheNamedOutputWithItsShape() {
    try (OnnxRunner runner = OnnxRunner.open(countGraph(), BackendOptions.defaults())) {
      assertTrue(runner.hasTokenTypeIds());
      assertEquals(List.of("scores", "hidden"), List.copyOf(runner.floatOutputs().keySet()));
      assertArrayEquals(new long[] {-1, 1}, runner.floatOutputs().get("scores"));
      FloatTensor scores = runner.run(batch(), "scores");
      assertArrayEquals(new long[] {2, 1}, scores.shape());
      assertArrayEquals(new float[] {3, 1}, scores.values()); // padding's type id 1 is masked out
      FloatTensor hidden = runner.run(batch(), "hidden");
      assertArrayEquals(new long[] {2, 4, 1}, hidden.shape());
      assertArrayEquals(new float[] {5, 6, 7, 8, 9, 10, 11, 0}, hidden.values());
    }
  }

  @Test
  void anExtensionAddsNodesAndOutputsToAnExistingModel() throws java.io.IOException {
    byte[] base = java.nio.file.Files.readAllBytes(countGraph());
    byte[] extended = OnnxGraphBuilder.extension("head/")
        .output("doubled", OnnxGraphBuilder.FLOAT, "batch", 1)
        .floats("two", new float[] {2f})
        .node("Mul", List.of("scores", "two"), List.of("doubled"))
        .appendTo(base);
    Path file = dir.resolve("extended.onnx");
    java.nio.file.Files.write(file, extended);
    try (OnnxRunner runner = OnnxRunner.open(file, BackendOptions.defaults())) {
      assertEquals(List.of("scores", "hidden", "doubled"), List.copyOf(runner.floatOutputs().keySet()));
      assertArrayEquals(new float[] {6, 2}, runner.run(batch(), "doubled").values());
      assertArrayEquals(new float[] {3, 1}, runner.run(batch(), "scores").values(), "the original outputs stay");
    }
  }

  @Test
  void unknownOutputNameIsAnErrorListingTheOutputs() {
    try (OnnxRunner runner = OnnxRunner.open(countGraph(), BackendOptions.defaults())) {
      var e = assertThrows(Embed4jException.InvalidModel.class, () -> runner.run(batch(), "logits"));
      assertTrue(e.getMessage().contains("[scores, hidden]"), e.getMessage());
    }
  }

  @Test
  void graphWithoutAttentionMaskIsRejected() {
    Path file = OnnxGraphBuilder.graph("ids-only")
        .input("input_ids", OnnxGraphBuilder.INT64, "batch", "tokens")
        .output("y", OnnxGraphBuilder.FLOAT, "batch", "tokens")
        .node("Cast", List.of("input_ids"), List.of("y"), OnnxGraphBuilder.intAttr("to", OnnxGraphBuilder.FLOAT))
        .write(dir.resolve("ids.onnx"));
    var e = assertThrows(Embed4jException.InvalidModel.class, () -> OnnxRunner.open(file, BackendOptions.defaults()));
    assertTrue(e.getMessage().contains("no 'attention_mask' input"), e.getMessage());
  }
}

package io.embed4j.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.EmbeddingModel;
import io.embed4j.cli.ChildCli;
import io.embed4j.cli.ChildCli.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `embed4j train` and `embed4j mine-negatives` in a child JVM: outputs and one-line errors. */
class TrainCommandsTest {
  @TempDir Path tmp;
  static final ObjectMapper JSON = new ObjectMapper();

  private Run run(String... args) throws IOException, InterruptedException {
    return ChildCli.run(tmp, 300, args);
  }

  private static void assertOneLineError(Run r, String expected) {
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains(expected), "stderr should say '" + expected + "' but was: " + r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace for a user mistake: " + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  private Path pairs(int n) throws IOException {
    String[] topics = {"aspirin and heart attacks", "glacier retreat", "vaccine immunity", "sleep and memory", "coral bleaching",
        "antibiotic resistance"};
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String t = topics[i % topics.length];
      lines.add(JSON.writeValueAsString(JSON.createObjectNode().put("anchor", "what about " + t + "?")
          .put("positive", "A study of " + t + " found clear effects in the population examined.")));
    }
    Path f = tmp.resolve("pairs.jsonl");
    Files.write(f, lines);
    return f;
  }

  @Test
  void anUnknownLossIsAOneLineErrorListingTheLosses() throws Exception {
    Run r = run("train", "--data", pairs(4).toString(), "--loss", "hinge", "-o", tmp.resolve("m").toString());
    assertOneLineError(r, "--loss must be one of [mnrl, mnrl-symmetric, cached-mnrl, cosent, margin-mse, triplet]");
  }

  @Test
  void missingDataIsAOneLineError() throws Exception {
    Run r = run("train", "--data", tmp.resolve("nope.jsonl").toString(), "-o", tmp.resolve("m").toString());
    assertOneLineError(r, "training data must be a BEIR directory");
  }

  @Test
  void cosentWithoutScoresIsAOneLineError() throws Exception {
    Run r = run("train", "--data", pairs(4).toString(), "--loss", "cosent", "-o", tmp.resolve("m").toString(), "-q");
    assertOneLineError(r, "needs one per example");
  }

  @Test
  void trainWritesAModelTheInferencePathLoads() throws Exception {
    Path out = tmp.resolve("model");
    Run r = run("train", "--data", pairs(8).toString(), "--epochs", "1", "--batch-size", "4", "--max-seq-length", "24", "--no-peak",
        "-o", out.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.err().contains("trained 2 steps"), r.err());
    for (String f : List.of("model.safetensors", "onnx/model.onnx", "modules.json", "training-report.json", "loss.png",
        "checkpoints/checkpoint-2/trainer_state.json")) {
      assertTrue(Files.exists(out.resolve(f)), "missing " + f);
    }
    JsonNode report = JSON.readTree(out.resolve("training-report.json").toFile());
    assertEquals(2, report.path("steps").size());
    assertTrue(report.path("summary").path("tokens_per_second").asDouble() > 0);
    try (EmbeddingModel m = EmbeddingModel.load(out.toString())) {
      assertEquals(384, m.dimensions());
      assertEquals(24, m.maxSeqLength());
    }
  }

  @Test
  void mineNegativesWritesTripletsWithoutThePositives() throws Exception {
    Path out = tmp.resolve("triplets.jsonl");
    Run r = run("mine-negatives", "--data", pairs(6).toString(), "--num-negatives", "2", "-o", out.toString());
    assertEquals(0, r.exit(), r.err());
    List<String> lines = Files.readAllLines(out);
    assertEquals(12, lines.size(), r.err());
    for (String line : lines) {
      JsonNode n = JSON.readTree(line);
      assertNotEquals(n.path("positive").asText(), n.path("negative").asText());
      assertTrue(n.has("anchor"));
    }
    Path tuples = tmp.resolve("tuples.jsonl");
    assertEquals(0, run("mine-negatives", "--data", pairs(6).toString(), "--num-negatives", "2", "--format", "n-tuple", "-q",
        "-o", tuples.toString()).exit());
    JsonNode first = JSON.readTree(Files.readAllLines(tuples).get(0));
    assertTrue(first.has("negative_1") && first.has("negative_2"), first.toString());
  }
}

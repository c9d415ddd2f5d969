package io.embed4j.cli.rerank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.cli.Embed4jCli;
import io.embed4j.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code embed4j rerank} and {@code embed4j encode --sparse} in a child JVM, on model directories
 * whose scores are known by hand ({@link TinyModels}).
 */
class RerankCliTest {
  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  static Run run(Path tmp, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
        "-Dembed4j.home=" + tmp.resolve("home"),
        "-cp", System.getProperty("java.class.path"), Embed4jCli.class.getName()));
    cmd.addAll(List.of(args));
    Path out = tmp.resolve("stdout");
    Path err = tmp.resolve("stderr");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "CLI did not finish");
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err).replaceAll("(?m)^WARNING: Using incubator.*\\R", ""));
  }

  static void assertOneLineError(Run r, String expected) {
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains(expected), "stderr should say '" + expected + "' but was: " + r.err());
    assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace for a user mistake: " + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  private Path documents(String... lines) throws IOException {
    Path in = tmp.resolve("docs.txt");
    Files.write(in, List.of(lines));
    return in;
  }

  @Test
  void rerankPrintsDocumentsBestFirstWithScoreAndIndex() throws Exception {
    Path model = TinyModels.crossEncoder(tmp.resolve("ce"), 1, "");
    Path in = documents("a cat", "the big red cat sat", "", "one two three");
    Run r = run(tmp, "rerank", "--model", model.toString(), "--query", "which cat", "--input", in.toString(), "--quiet");
    assertEquals(0, r.exit(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(4, lines.size(), r.out());
    assertEquals(String.format(java.util.Locale.ROOT, "%.4f\t1\tthe big red cat sat", TinyModels.sigmoid(TinyModels.crossEncoderLogit(5))), lines.get(0));
    assertTrue(lines.get(1).endsWith("\t3\tone two three"), lines.get(1));
    assertTrue(lines.get(2).endsWith("\t0\ta cat"), lines.get(2));
    assertTrue(lines.get(3).endsWith("\t2\t"), lines.get(3));
    assertEquals("", r.err());
  }

  @Test
  void rerankJsonHasTeisShapeAndTopK() throws Exception {
    Path model = TinyModels.crossEncoder(tmp.resolve("ce"), 1, "");
    Path in = documents("a cat", "the big red cat sat", "one two three");
    Run r = run(tmp, "rerank", "-m", model.toString(), "-q", "cat", "-i", in.toString(), "--json", "--top-k", "2", "--activation", "identity");
    assertEquals(0, r.exit(), r.err());
    JsonNode a = new ObjectMapper().readTree(r.out());
    assertEquals(2, a.size());
    assertEquals(1, a.get(0).get("index").asInt());
    assertEquals(TinyModels.crossEncoderLogit(5), (float) a.get(0).get("score").asDouble(), 1e-6f);
    assertEquals("the big red cat sat", a.get(0).get("text").asText());
    assertEquals(2, a.get(1).get("index").asInt());
    assertEquals(TinyModels.crossEncoderLogit(3), (float) a.get(1).get("score").asDouble(), 1e-6f);
  }

  @Test
  void rerankMistakesAreOneLine() throws Exception {
    Path model = TinyModels.crossEncoder(tmp.resolve("ce"), 1, "");
    Path empty = tmp.resolve("empty.txt");
    Files.writeString(empty, "");
    assertOneLineError(run(tmp, "rerank", "-m", model.toString(), "-q", "x", "-i", empty.toString()), "empty input, no documents to rerank");
    assertOneLineError(run(tmp, "rerank", "-m", tmp.resolve("nope").toString(), "-q", "x", "-i", documents("a").toString()),
        "unknown cross-encoder");
    assertOneLineError(run(tmp, "rerank", "-m", model.toString(), "-q", "x", "-i", documents("a").toString(), "--activation", "gelu"),
        "--activation: unknown activation 'gelu'");
    Path twoLabels = TinyModels.crossEncoder(tmp.resolve("nli"), 2, "");
    assertOneLineError(run(tmp, "rerank", "-m", twoLabels.toString(), "-q", "x", "-i", documents("a").toString()),
        "rerank needs a one-label cross-encoder");
  }
}

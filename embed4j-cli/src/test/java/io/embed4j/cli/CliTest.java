package io.embed4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.EmbeddingModel;
import io.embed4j.vector.VectorMath;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real `embed4j` CLI in a child JVM: outputs, exit codes, and one-line errors for user mistakes. */
class CliTest {
  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  private Run run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), Embed4jCli.class.getName()));
    cmd.addAll(List.of(args));
    Path out = tmp.resolve("stdout");
    Path err = tmp.resolve("stderr");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "CLI did not finish");
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err).replaceAll("(?m)^WARNING: Using incubator.*\\R", ""));
  }

  private static void assertOneLineError(Run r, String expected) {
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains(expected), "stderr should say '" + expected + "' but was: " + r.err());
    assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace for a user mistake: " + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void encodeWritesOneVectorPerLineInInputOrder() throws Exception {
    Path in = tmp.resolve("in.txt");
    List<String> texts = List.of("first text", "", "a much longer third text about vector search on the JVM", "fourth");
    Files.write(in, texts);
    Path outFile = tmp.resolve("v.jsonl");
    Run r = run("encode", "--input", in.toString(), "--output", outFile.toString(), "--quiet");
    assertEquals(0, r.exit(), r.err());
    List<String> lines = Files.readAllLines(outFile);
    assertEquals(texts.size(), lines.size());
    try (EmbeddingModel model = EmbeddingModel.load("all-MiniLM-L6-v2")) {
      float[][] expected = model.encode(texts);
      ObjectMapper json = new ObjectMapper();
      for (int i = 0; i < texts.size(); i++) {
        JsonNode a = json.readTree(lines.get(i));
        float[] v = new float[a.size()];
        for (int k = 0; k < v.length; k++) {
          v[k] = (float) a.get(k).asDouble();
        }
        assertTrue(VectorMath.cosine(expected[i], v) > 0.99999f, "line " + i);
      }
    }
  }

  @Test
  void npyAndFvecsHaveTheirLayouts() throws Exception {
    Path in = tmp.resolve("in.txt");
    Files.write(in, List.of("one", "two", "three"));
    Path npy = tmp.resolve("v.npy");
    assertEquals(0, run("encode", "-i", in.toString(), "-o", npy.toString(), "--format", "npy", "--dimensions", "64", "--quiet").exit());
    byte[] b = Files.readAllBytes(npy);
    assertEquals((byte) 0x93, b[0]);
    int headerLen = ByteBuffer.wrap(b, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
    String header = new String(b, 10, headerLen, StandardCharsets.US_ASCII);
    assertTrue(header.contains("'descr': '<f4'") && header.contains("'shape': (3, 64)"), header);
    assertEquals(0, (10 + headerLen) % 64, "npy data starts 64-byte aligned");
    assertEquals(10 + headerLen + 3 * 64 * 4, b.length);

    Path fvecs = tmp.resolve("v.fvecs");
    assertEquals(0, run("encode", "-i", in.toString(), "-o", fvecs.toString(), "--format", "fvecs", "--quiet").exit());
    ByteBuffer f = ByteBuffer.wrap(Files.readAllBytes(fvecs)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(3 * (4 + 384 * 4), f.capacity());
    assertEquals(384, f.getInt(0));
  }

  @Test
  void int8AndBinaryOutputsAreIntegersInRange() throws Exception {
    Path in = tmp.resolve("in.txt");
    Files.write(in, List.of("alpha", "beta", "gamma", "delta"));
    Path out = tmp.resolve("q.jsonl");
    assertEquals(0, run("encode", "-i", in.toString(), "-o", out.toString(), "--precision", "int8", "--quiet").exit());
    for (String line : Files.readAllLines(out)) {
      JsonNode a = new ObjectMapper().readTree(line);
      assertEquals(384, a.size());
      a.forEach(x -> assertTrue(x.isInt() && x.asInt() >= -128 && x.asInt() <= 127, x.toString()));
    }
    assertEquals(0, run("encode", "-i", in.toString(), "-o", out.toString(), "--precision", "ubinary", "--quiet").exit());
    JsonNode first = new ObjectMapper().readTree(Files.readAllLines(out).get(0));
    assertEquals(48, first.size());
    first.forEach(x -> assertTrue(x.asInt() >= 0 && x.asInt() <= 255));
  }

  @Test
  void unknownModelListsTheKnownNames() throws Exception {
    Path in = tmp.resolve("in.txt");
    Files.writeString(in, "x\n");
    assertOneLineError(run("encode", "-i", in.toString(), "-m", "nope-model"), "Known models: all-MiniLM-L6-v2");
  }

  @Test
  void missingInputFileIsNamed() throws Exception {
    assertOneLineError(run("encode", "-i", tmp.resolve("absent.txt").toString()), "absent.txt: no such file");
  }

  @Test
  void invalidUtf8NamesTheLine() throws Exception {
    Path in = tmp.resolve("bad.txt");
    Files.write(in, new byte[] {'o', 'k', '\n', 'f', 'i', 'n', 'e', '\n', 'b', (byte) 0xC3, (byte) 0x28, '\n'});
    assertOneLineError(run("encode", "-i", in.toString(), "-o", tmp.resolve("o.jsonl").toString()), "line 3 is not valid UTF-8");
    assertFalse(Files.exists(tmp.resolve("o.jsonl")), "no partial output file is left behind");
  }

  @Test
  void emptyInputIsAnError() throws Exception {
    Path in = tmp.resolve("empty.txt");
    Files.writeString(in, "");
    assertOneLineError(run("encode", "-i", in.toString()), "empty input");
  }

  @Test
  void aFileThatIsNotOnnxIsRefusedClearly() throws Exception {
    Path dir = modelDirWith("not onnx at all".getBytes(StandardCharsets.UTF_8));
    Path in = tmp.resolve("in.txt");
    Files.writeString(in, "x\n");
    assertOneLineError(run("encode", "-i", in.toString(), "-m", dir.toString()), "is not a loadable ONNX model");
  }

  @Test
  void anOnnxGraphWithoutTokenInputsIsRefusedClearly() throws Exception {
    Path dir = modelDirWith(MatmulPeak.matmulModel(4));
    Path in = tmp.resolve("in.txt");
    Files.writeString(in, "x\n");
    assertOneLineError(run("encode", "-i", in.toString(), "-m", dir.toString()), "has no 'input_ids' input");
  }

  private Path modelDirWith(byte[] onnx) throws IOException {
    Path dir = tmp.resolve("model");
    Files.createDirectories(dir);
    try (EmbeddingModel m = EmbeddingModel.load("all-MiniLM-L6-v2")) {
      Files.copy(m.files().tokenizer(), dir.resolve("tokenizer.json"));
    }
    Files.write(dir.resolve("model.onnx"), onnx);
    return dir;
  }

  @Test
  void similarityRanksTheParaphraseFirst() throws Exception {
    Run r = run("similarity", "reset password policy", "How do I change my login credentials?", "Best pizza in town");
    assertEquals(0, r.exit(), r.err());
    String[] lines = r.out().strip().split("\n");
    assertEquals(2, lines.length);
    assertTrue(Float.parseFloat(lines[0].split("\t")[0]) > Float.parseFloat(lines[1].split("\t")[0]) + 0.2f, r.out());
  }
}

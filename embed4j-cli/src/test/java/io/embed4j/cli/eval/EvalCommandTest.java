package io.embed4j.cli.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.cli.Embed4jCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code embed4j eval} in-process on a tiny BEIR set and STS file: outputs, and one-line errors for user mistakes. */
class EvalCommandTest {
  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void home() {
    System.setProperty("embed4j.home", tmp.resolve("home").toString()); // keep the embedding cache in the temp dir
  }

  @AfterEach
  void restoreHome() {
    System.clearProperty("embed4j.home");
  }

  private static synchronized Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = Embed4jCli.execute(args);
      return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private Path beir() throws IOException {
    Path d = tmp.resolve("tiny");
    Files.createDirectories(d.resolve("qrels"));
    Files.writeString(d.resolve("corpus.jsonl"), """
        {"_id": "d1", "title": "Paris", "text": "Paris is the capital of France."}
        {"_id": "d2", "title": "Bananas", "text": "Bananas are yellow fruit rich in potassium."}
        {"_id": "d3", "title": "Rust", "text": "Rust is a systems programming language."}
        """);
    Files.writeString(d.resolve("queries.jsonl"), """
        {"_id": "q1", "text": "What is the capital of France?"}
        {"_id": "q2", "text": "Which fruit has potassium?"}
        """);
    Files.writeString(d.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\r\nq1\td1\t1\r\nq2\td2\t2\r\nq2\td3\t0\r\n");
    return d;
  }

  @Test
  void retrievalWritesMtebJsonAndATrecRun() throws IOException {
    Path json = tmp.resolve("r.json");
    Path trec = tmp.resolve("r.trec");
    Path report = tmp.resolve("report/r.md");
    Run r = run("eval", "retrieval", "--data", beir().toString(), "--json", json.toString(), "--run", trec.toString(),
        "--k", "1,3", "--dimensions", "384,128", "--precision", "float32,binary", "--report", report.toString(), "--quiet");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("384d float32"), r.out());
    JsonNode j = new ObjectMapper().readTree(json.toFile());
    assertEquals(1.0, j.get("scores").get("ndcg_at_10").asDouble(), 1e-9);
    assertEquals(j.get("main_score").asDouble(), j.get("scores").get("ndcg_at_10").asDouble());
    assertTrue(j.get("scores").has("precision_at_1") && j.get("scores").has("mrr_at_3") && j.get("info").has("corpus_texts_per_second"));
    assertEquals(4, j.get("variants").size());
    List<String> lines = Files.readAllLines(trec);
    assertEquals(6, lines.size());
    assertTrue(lines.get(0).matches("q1 Q0 d1 1 \\S+ embed4j-all-MiniLM-L6-v2"), lines.get(0));
    assertTrue(Files.exists(tmp.resolve("report/r.png")));

    Run again = run("eval", "retrieval", "--data", beir().toString(), "--quiet");
    assertTrue(again.out().contains("from the cache"), again.out());
  }

  @Test
  void stsReadsAnyOfTheThreeFormats() throws IOException {
    Path f = tmp.resolve("pairs.jsonl");
    Files.writeString(f, """
        {"sentence1": "A man plays guitar.", "sentence2": "A man is playing a guitar.", "score": 4.8}
        {"sentence1": "A cat sleeps.", "sentence2": "The stock market fell.", "score": 0.1}
        {"sentence1": "A woman cuts onions.", "sentence2": "Someone is slicing an onion.", "score": 3.9}
        """);
    Run r = run("eval", "sts", "--data", f.toString(), "--quiet", "--no-cache");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("cosine spearman 1.0000"), r.out());
  }

  @Test
  void userMistakesAreOneLine() throws IOException {
    assertOneLineError(run("eval", "retrieval", "--data", tmp.resolve("missing").toString()), "not a directory");
    assertOneLineError(run("eval", "retrieval", "--data", beir().toString(), "--split", "dev"), "dev.tsv: no such file");
    assertOneLineError(run("eval", "retrieval", "--data", beir().toString(), "--precision", "int4"), "unknown precision 'int4'");
    assertOneLineError(run("eval", "retrieval", "--data", beir().toString(), "--dimensions", "512"), "--dimensions 512 is out of range");
    Path bad = tmp.resolve("bad.csv");
    Files.writeString(bad, "g\tf\t2012\t1\tnot-a-score\ta\tb\n");
    assertOneLineError(run("eval", "sts", "--data", bad.toString()), "bad.csv:1: score 'not-a-score' is not a number");
  }

  private static void assertOneLineError(Run r, String expected) {
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains(expected), "stderr should say '" + expected + "' but was: " + r.err());
    assertFalse(r.err().contains("\tat "), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }
}

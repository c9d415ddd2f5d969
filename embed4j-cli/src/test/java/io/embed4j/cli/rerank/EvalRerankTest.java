package io.embed4j.cli.rerank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.cli.Embed4jCli;
import io.embed4j.testing.TinyModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval retrieval --rerank}: all-MiniLM-L6-v2 retrieves, the hand-computable cross-encoder
 * (longer documents score higher) reorders. Whatever the first stage's order, reranking all three
 * documents puts q1's relevant document (the longest) first and q2's (the shortest) third:
 * nDCG@10 = (1 + 1/log2(4)) / 2 = 0.75.
 */
class EvalRerankTest {
  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void home() {
    System.setProperty("embed4j.home", tmp.resolve("home").toString());
  }

  @AfterEach
  void restoreHome() {
    System.clearProperty("embed4j.home");
  }

  static synchronized Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      return new Run(Embed4jCli.execute(args), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private Path beir() throws IOException {
    Path d = tmp.resolve("tiny");
    Files.createDirectories(d.resolve("qrels"));
    Files.writeString(d.resolve("corpus.jsonl"), """
        {"_id": "d1", "text": "Paris is the capital of France and its largest city by far"}
        {"_id": "d2", "text": "Bananas are yellow"}
        {"_id": "d3", "text": "Rust is a systems programming language"}
        """);
    Files.writeString(d.resolve("queries.jsonl"), """
        {"_id": "q1", "text": "What is the capital of France?"}
        {"_id": "q2", "text": "Which fruit is yellow?"}
        """);
    Files.writeString(d.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\r\nq1\td1\t1\r\nq2\td2\t1\r\n");
    return d;
  }

  private static double ndcg10(Path json) throws IOException {
    return new ObjectMapper().readTree(json.toFile()).get("scores").get("ndcg_at_10").asDouble();
  }

  @Test
  void rerankingTheWholeListGivesTheHandComputedScore() throws IOException {
    Path ce = TinyModels.crossEncoder(tmp.resolve("ce"), 1, "");
    Path data = beir();
    Path json = tmp.resolve("r.json");
    Run r = run("eval", "retrieval", "--data", data.toString(), "--rerank", ce.toString(), "--rerank-top", "3", "--json", json.toString(), "--quiet");
    assertEquals(0, r.exit(), r.err());
    assertEquals(0.75, ndcg10(json), 1e-9);
    assertTrue(r.out().contains("rerank: ce, top 3:"), r.out());
    JsonNode rerank = new ObjectMapper().readTree(json.toFile()).get("rerank");
    assertEquals("ce", rerank.get("model").asText());
    assertEquals(2, rerank.get("queries").asInt());
    assertEquals(6, rerank.get("pairs").asInt());
  }

  @Test
  void rerankingOnlyTheFirstHitKeepsTheFirstStageRanking() throws IOException {
    Path ce = TinyModels.crossEncoder(tmp.resolve("ce"), 1, "");
    Path data = beir();
    Path plain = tmp.resolve("plain.json");
    Path top1 = tmp.resolve("top1.json");
    assertEquals(0, run("eval", "retrieval", "--data", data.toString(), "--json", plain.toString(), "--quiet").exit());
    assertEquals(0, run("eval", "retrieval", "--data", data.toString(), "--json", top1.toString(), "--quiet",
        "--rerank", ce.toString(), "--rerank-top", "1").exit());
    assertEquals(ndcg10(plain), ndcg10(top1), 1e-12);
  }

  @Test
  void rerankTopWithoutAModelIsAMistake() throws IOException {
    Run r = run("eval", "retrieval", "--data", beir().toString(), "--rerank-top", "50", "--quiet");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--rerank-top applies with --rerank MODEL only"), r.err());
  }
}

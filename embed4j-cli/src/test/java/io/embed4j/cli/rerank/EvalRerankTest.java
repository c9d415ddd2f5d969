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

  @Test
  void severalTopsAndFusionsScoreEachPairOnce() throws IOException {
    Path ce = TinyModels.crossEncoder(tmp.resolve("ce"), 1, "");
    Path data = beir();
    Path plain = tmp.resolve("plain.json");
    Path json = tmp.resolve("grid.json");
    assertEquals(0, run("eval", "retrieval", "--data", data.toString(), "--json", plain.toString(), "--quiet").exit());
    Run r = run("eval", "retrieval", "--data", data.toString(), "--rerank", ce.toString(), "--rerank-top", "1,3",
        "--rerank-fusion", "ce,interpolate:0", "--json", json.toString(), "--quiet");
    assertEquals(0, r.exit(), r.err());
    JsonNode rerank = new ObjectMapper().readTree(json.toFile()).get("rerank");
    assertEquals(6, rerank.get("pairs").asInt(), "2 queries x 3 candidates, scored once for both tops");
    assertEquals(ndcg10(plain), rerank.get("first_stage").get("ndcg_at_10").asDouble(), 1e-12);
    assertEquals(ndcg10(plain), ndcg10(json), 1e-12, "the headline is the first setting: top 1, the cross-encoder alone");
    JsonNode settings = rerank.get("settings");
    assertEquals(4, settings.size());
    assertEquals("3 ce", settings.get(2).get("top").asInt() + " " + settings.get(2).get("fusion").asText());
    assertEquals(0.75, settings.get(2).get("scores").get("ndcg_at_10").asDouble(), 1e-9);
    assertEquals("interpolate:0", settings.get(3).get("fusion").asText());
    assertEquals(ndcg10(plain), settings.get(3).get("scores").get("ndcg_at_10").asDouble(), 1e-12, "weight 0 keeps the first stage's order");
    assertTrue(rerank.get("ms_per_query_at_top").has("1") && rerank.get("ms_per_query_at_top").has("3"), rerank.toString());
    assertTrue(r.out().contains("rerank@3 interpolate:0"), r.out());
    assertTrue(r.out().contains("first stage"), r.out());
  }

  @Test
  void anUnknownFusionIsOneLine() throws IOException {
    Path ce = TinyModels.crossEncoder(tmp.resolve("ce"), 1, "");
    Run r = run("eval", "retrieval", "--data", beir().toString(), "--rerank", ce.toString(), "--rerank-fusion", "mean", "--quiet");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--rerank-fusion: unknown fusion 'mean'"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void rerankTopDeeperThanTheFirstStageRunIsRefused() throws IOException {
    Path ce = TinyModels.crossEncoder(tmp.resolve("ce"), 1, "");
    Run r = run("eval", "retrieval", "--data", beir().toString(), "--rerank", ce.toString(), "--rerank-top", "50", "--k", "1,10", "--quiet");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--rerank-top 50 is deeper than the first stage's run"), r.err());
  }
}

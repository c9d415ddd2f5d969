package io.embed4j.cli.rerank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code search --rerank MODEL --rerank-fusion}: the hand-computable cross-encoder (longer chunks score
 * higher) against all-MiniLM-L6-v2's first stage, through a real index.
 */
class SearchFusionTest {
  @TempDir Path tmp;

  @BeforeEach
  void home() {
    System.setProperty("embed4j.home", tmp.resolve("home").toString());
  }

  @AfterEach
  void restoreHome() {
    System.clearProperty("embed4j.home");
  }

  private Path folder() throws IOException {
    Path docs = tmp.resolve("docs");
    Files.createDirectories(docs);
    Files.writeString(docs.resolve("garden.txt"), "Water tomato plants twice a week.\n");
    Files.writeString(docs.resolve("pizza.txt"), "Pizza dough: knead flour, water and yeast, leave it to rise for two hours, then bake it on a hot stone.\n");
    Files.writeString(docs.resolve("tax.txt"), "Income tax returns are due in April.\n");
    return docs;
  }

  private static List<String> paths(String json) throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode r : new ObjectMapper().readTree(json).get("results")) {
      out.add(r.get("path").asText());
    }
    return out;
  }

  @Test
  void weightZeroKeepsTheFirstStageOrderAndWeightOneIsTheCrossEncoders() throws IOException {
    Path docs = folder();
    Path ce = TinyModels.crossEncoder(tmp.resolve("ce"), 1, "");
    EvalRerankTest.Run plain = EvalRerankTest.run("search", docs.toString(), "tomato garden", "--json", "-k", "3", "--mode", "dense");
    assertEquals(0, plain.exit(), plain.err());
    EvalRerankTest.Run w0 = EvalRerankTest.run("search", docs.toString(), "tomato garden", "--json", "-k", "3", "--mode", "dense",
        "--rerank", ce.toString(), "--rerank-top", "3", "--rerank-fusion", "interpolate:0");
    assertEquals(0, w0.exit(), w0.err());
    assertEquals(paths(plain.out()), paths(w0.out()));
    EvalRerankTest.Run w1 = EvalRerankTest.run("search", docs.toString(), "tomato garden", "--json", "-k", "3", "--mode", "dense",
        "--rerank", ce.toString(), "--rerank-top", "3", "--rerank-fusion", "interpolate:1");
    assertEquals(0, w1.exit(), w1.err());
    assertTrue(paths(w1.out()).get(0).endsWith("pizza.txt"), "the longest text wins on the cross-encoder alone: " + w1.out());
    assertNotEquals(paths(plain.out()).get(0), paths(w1.out()).get(0));
  }

  @Test
  void searchTakesOneTop() throws IOException {
    Path ce = TinyModels.crossEncoder(tmp.resolve("ce"), 1, "");
    EvalRerankTest.Run r = EvalRerankTest.run("search", folder().toString(), "q", "--rerank", ce.toString(), "--rerank-top", "50,100");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("search takes one --rerank-top and one --rerank-fusion"), r.err());
  }
}

package io.embed4j.cli.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.cli.ChildCli;
import io.embed4j.cli.ChildCli.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `embed4j search / index / reindex` in a child JVM: outputs, exit codes, one-line errors. */
class SearchCliTest {
  @TempDir Path tmp;
  private static final ObjectMapper JSON = new ObjectMapper();

  private Run run(String... args) throws IOException, InterruptedException {
    return ChildCli.run(tmp, 180, args);
  }

  private Path folder() throws IOException {
    Path docs = tmp.resolve("docs");
    Files.createDirectories(docs.resolve("it"));
    Files.writeString(docs.resolve("it/accounts.md"), """
        # IT handbook

        ## Changing your login credentials

        Staff must pick a new sign-in secret every 90 days. If you forgot yours, the help desk issues a
        temporary one after checking your identity.
        """);
    Files.writeString(docs.resolve("pizza.txt"), "Pizza dough\n\nKnead flour, water and yeast; bake on a hot stone.\n");
    Files.writeString(docs.resolve("garden.html"), "<h1>Tomatoes</h1><p>Water tomato plants twice a week.</p>");
    Files.write(docs.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0});
    return docs;
  }

  @Test
  void searchIndexesTheFolderOnFirstUseThenOnlyWhatChanged() throws Exception {
    Path docs = folder();
    Run first = run("search", docs.toString(), "reset password policy", "-k", "2", "--json");
    assertEquals(0, first.exit(), first.err());
    JsonNode top = JSON.readTree(first.out()).get("results").get(0);
    assertTrue(top.get("path").asText().endsWith("accounts.md"), first.out());
    assertEquals(5, top.get("start_line").asInt());
    assertEquals(6, top.get("end_line").asInt());
    assertEquals("IT handbook > Changing your login credentials", top.get("heading").asText());
    assertTrue(top.get("text").asText().startsWith("Staff must pick"));
    assertTrue(top.get("score").isNumber());
    assertTrue(Files.isRegularFile(docs.resolve(".embed4j/CURRENT")), "default index location is DIR/.embed4j");

    Files.writeString(docs.resolve("bread.md"), "# Sourdough\n\nFeed the starter and bake the loaf in a covered pot.\n");
    Run second = run("search", docs.toString(), "sourdough starter", "-k", "1", "--mode", "bm25");
    assertEquals(0, second.exit(), second.err());
    assertTrue(second.out().startsWith("1. ") && second.out().contains("bread.md:3"), second.out());
    assertTrue(second.err().contains("indexed 1 new and 0 changed source(s)") && second.err().contains("unchanged 4"), second.err());
  }

  @Test
  void indexThenSearchTheIndexAndReindexWithAnotherModel() throws Exception {
    Path docs = folder();
    Path index = tmp.resolve("idx");
    Run indexed = run("index", docs.toString(), "--index", index.toString(), "--json");
    assertEquals(0, indexed.exit(), indexed.err());
    JsonNode report = JSON.readTree(indexed.out());
    assertEquals(3, report.get("added").asInt());
    assertEquals(1, report.get("skipped").asInt());
    assertTrue(report.get("notes").get(0).asText().contains("logo.png: skipped, binary format (.png)"), indexed.out());

    Run refused = run("search", "--index", index.toString(), "reset password policy", "--model", "all-MiniLM-L6-v2-q");
    assertEquals(2, refused.exit(), refused.err());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
    assertTrue(refused.err().contains("cannot be compared") && refused.err().contains("embed4j reindex --index"), refused.err());
    assertFalse(refused.err().contains("Exception"), refused.err());

    Run reindexed = run("reindex", "--index", index.toString(), "--model", "all-MiniLM-L6-v2-q", "--quiet");
    assertEquals(0, reindexed.exit(), reindexed.err());
    assertEquals("gen-000002", Files.readString(index.resolve("CURRENT")).strip());
    Run after = run("search", "--index", index.toString(), "reset password policy", "-k", "1", "--mode", "dense");
    assertEquals(0, after.exit(), after.err());
    assertTrue(after.out().contains("accounts.md:5-6"), after.out());
  }

  @Test
  void evalRetrievalRunsThroughABeirIndexWithoutReembeddingTheCorpus() throws Exception {
    Path beir = tmp.resolve("mini");
    Files.createDirectories(beir.resolve("qrels"));
    Files.writeString(beir.resolve("corpus.jsonl"), """
        {"_id": "d1", "title": "Vitamin D", "text": "Vitamin D deficiency is linked to weaker bones in older adults."}
        {"_id": "d2", "title": "Sleep", "text": "Adults who sleep less than six hours show impaired memory consolidation."}
        {"_id": "d3", "title": "Coffee", "text": "Moderate coffee drinking was not associated with higher heart disease risk."}
        """);
    Files.writeString(beir.resolve("queries.jsonl"), """
        {"_id": "q1", "text": "lack of vitamin D harms bone health"}
        {"_id": "q2", "text": "short sleep hurts memory"}
        """);
    Files.writeString(beir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n");
    Path index = tmp.resolve("beir-index");
    Run indexed = run("index", "--beir", beir.toString(), "--index", index.toString(), "--quiet");
    assertEquals(0, indexed.exit(), indexed.err());
    Path json = tmp.resolve("eval.json");
    Run eval = run("eval", "retrieval", "--data", beir.toString(), "--index", index.toString(), "--mode", "dense",
        "--json", json.toString(), "--quiet", "--no-cache");
    assertEquals(0, eval.exit(), eval.err());
    assertTrue(eval.out().contains("through index") && eval.out().contains("corpus not re-embedded"), eval.out());
    String result = Files.readString(json);
    assertTrue(result.contains("\"ndcg_at_10\" : 1.0") || result.contains("\"ndcg_at_10\":1.0"), result);
  }

  @Test
  void rerankStagePlugsInACrossEncoder() throws Exception {
    Path docs = folder();
    // The tiny cross-encoder scores a pair by the second text's token count: the longest chunk wins.
    Path ce = io.embed4j.testing.TinyModels.crossEncoder(tmp.resolve("ce"), 1, "");
    Run r = run("search", docs.toString(), "tomatoes", "--json", "-k", "3", "--rerank", ce.toString(), "--rerank-top", "3");
    assertEquals(0, r.exit(), r.err());
    JsonNode root = JSON.readTree(r.out());
    JsonNode results = root.get("results");
    assertEquals(3, results.size());
    assertTrue(root.has("rerank"), r.out());
    for (int i = 1; i < results.size(); i++) {
      assertTrue(results.get(i - 1).get("score").asDouble() >= results.get(i).get("score").asDouble(), r.out());
    }
    assertTrue(results.get(0).get("path").asText().endsWith("accounts.md"), "the longest chunk ranks first: " + r.out());
  }

  @Test
  void userMistakesAreOneLine() throws Exception {
    Path docs = folder();
    for (String[] args : List.of(
        new String[] {"search", "just a query"},
        new String[] {"search", docs.toString(), "q", "--mode", "fuzzy"},
        new String[] {"search", docs.toString(), "q", "--filter", "nonsense"},
        new String[] {"search", "--index", tmp.resolve("missing").toString(), "q"},
        new String[] {"index", docs.resolve("pizza.txt").toString()})) {
      Run r = run(args);
      assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
      assertEquals(1, r.err().strip().lines().count(), String.join(" ", args) + ": " + r.err());
      assertFalse(r.err().contains("Exception"), r.err());
    }
  }
}

package io.embed4j.cli.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.cli.ChildCli;
import io.embed4j.cli.ChildCli.Run;
import io.embed4j.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code index --sparse-model}, {@code search --mode sparse}, hybrids fusing sparse, and {@code eval
 * retrieval --index} with them, in a child JVM, on the tiny masked LM whose SPLADE weights are
 * {@code log(1 + last position)} of each token (see {@link TinyModels#splade}).
 */
class SparseCliTest {
  @TempDir Path tmp;
  private static final ObjectMapper JSON = new ObjectMapper();

  private Run run(String... args) throws IOException, InterruptedException {
    return ChildCli.run(tmp, 180, args);
  }

  private Path folder() throws IOException {
    Path docs = tmp.resolve("docs");
    Files.createDirectories(docs);
    Files.writeString(docs.resolve("a.txt"), "the cat sat on the mat\n");
    Files.writeString(docs.resolve("b.txt"), "the dog sat\n");
    Files.writeString(docs.resolve("c.txt"), "java vector search fast\n");
    return docs;
  }

  private static String file(JsonNode hit) {
    return Path.of(hit.get("path").asText()).getFileName().toString();
  }

  /** Query weight log(1 + q) times the stored document weight log(1 + d), over (q, d) position pairs. */
  private static double score(int[][] positionPairs) {
    double s = 0;
    for (int[] p : positionPairs) {
      s += (float) Math.log1p(p[0]) * io.embed4j.index.store.lucene.SparseFeatures.stored((float) Math.log1p(p[1]));
    }
    return s;
  }

  @Test
  void indexWithASparseModelThenSearchSparseAndHybridsOfAnyRankings() throws Exception {
    Path docs = folder();
    Path splade = TinyModels.splade(tmp.resolve("splade"));
    Path index = tmp.resolve("idx");
    Run indexed = run("index", docs.toString(), "--index", index.toString(), "--sparse-model", splade.toString(), "--json");
    assertEquals(0, indexed.exit(), indexed.err());
    assertEquals(splade.toAbsolutePath().normalize().toString(), JSON.readTree(indexed.out()).get("sparse_model").asText());

    Run sparse = run("search", "--index", index.toString(), "cat mat", "--mode", "sparse", "--json");
    assertEquals(0, sparse.exit(), sparse.err());
    JsonNode hits = JSON.readTree(sparse.out()).get("results");
    assertEquals(List.of("a.txt", "c.txt", "b.txt"), List.of(file(hits.get(0)), file(hits.get(1)), file(hits.get(2))));
    // "cat mat": [CLS]=1 cat=2 mat=3 [SEP]=4 against a.txt's [CLS]=1 cat=3 mat=7 [SEP]=8
    double a = score(new int[][] {{1, 1}, {2, 3}, {3, 7}, {4, 8}});
    assertEquals(a, hits.get(0).get("score").asDouble(), a * 1e-6);

    for (String[] fusion : List.of(new String[] {"--fusion", "rrf"}, new String[] {"--fusion", "weighted", "--weights", "0.2,0.3,0.5"})) {
      Run hybrid = run("search", "--index", index.toString(), "cat mat", "--fuse", "dense,sparse,bm25", "--json", fusion[0], fusion[1],
          fusion.length > 2 ? fusion[2] : "-k", fusion.length > 2 ? fusion[3] : "10");
      assertEquals(0, hybrid.exit(), hybrid.err());
      JsonNode root = JSON.readTree(hybrid.out());
      assertEquals("[\"dense\",\"sparse\",\"bm25\"]", root.get("fuse").toString());
      JsonNode fused = root.get("results");
      assertEquals(3, fused.size(), hybrid.out());
      assertEquals("a.txt", file(fused.get(0)), "first in all three rankings: " + hybrid.out());
    }
    Run lexical = run("search", "--index", index.toString(), "cat mat", "--fuse", "sparse,bm25", "--json");
    assertEquals(0, lexical.exit(), lexical.err());
    assertEquals(2.0 / 61, JSON.readTree(lexical.out()).get("results").get(0).get("score").asDouble(), 1e-12);

    Run text = run("search", "--index", index.toString(), "java", "--mode", "sparse", "-k", "1");
    assertEquals(0, text.exit(), text.err());
    assertTrue(text.out().startsWith("1. ") && text.out().contains("c.txt:1"), text.out());
  }

  @Test
  void sparseMistakesAreOneLine() throws Exception {
    Path docs = folder();
    Path splade = TinyModels.splade(tmp.resolve("splade"));
    Path index = tmp.resolve("idx");
    Path plain = tmp.resolve("plain");
    assertEquals(0, run("index", docs.toString(), "--index", index.toString(), "--sparse-model", splade.toString(), "--quiet").exit());
    assertEquals(0, run("index", docs.toString(), "--index", plain.toString(), "--quiet").exit());
    record Case(String expect, String... args) {}
    for (Case c : List.of(
        new Case("cannot be compared", "search", "--index", index.toString(), "cat", "--sparse-model", splade.toString(), "--sparse-doc-max-dims", "2"),
        new Case("holds no sparse vectors", "search", "--index", plain.toString(), "cat", "--mode", "sparse"),
        new Case("holds no sparse vectors", "search", "--index", plain.toString(), "cat", "--fuse", "dense,sparse"),
        new Case("holds no sparse vectors", "index", docs.toString(), "--index", plain.toString(), "--sparse-model", splade.toString()),
        new Case("unknown ranking 'colbert'", "search", "--index", index.toString(), "cat", "--fuse", "dense,colbert"),
        new Case("two or three distinct", "search", "--index", index.toString(), "cat", "--fuse", "sparse"),
        new Case("1 weight(s) for 3", "search", "--index", index.toString(), "cat", "--fuse", "dense,sparse,bm25", "--fusion", "weighted",
            "--weights", "0.5"),
        new Case("unknown sparse model", "index", docs.toString(), "--index", tmp.resolve("new").toString(), "--sparse-model",
            tmp.resolve("nowhere").toString()))) {
      Run r = run(c.args());
      String what = String.join(" ", c.args()) + ": " + r.err();
      assertEquals(2, r.exit(), what);
      assertEquals(1, r.err().strip().lines().count(), what);
      assertTrue(r.err().contains(c.expect()), what);
      assertFalse(r.err().contains("Exception"), what);
    }
  }

  @Test
  void evalRetrievalRunsSparseAndHybridsThroughABeirIndex() throws Exception {
    Path beir = tmp.resolve("mini");
    Files.createDirectories(beir.resolve("qrels"));
    Files.writeString(beir.resolve("corpus.jsonl"), """
        {"_id": "d1", "title": "", "text": "the cat sat on the mat"}
        {"_id": "d2", "title": "", "text": "the dog sat"}
        {"_id": "d3", "title": "", "text": "java vector search fast"}
        """);
    Files.writeString(beir.resolve("queries.jsonl"), """
        {"_id": "q1", "text": "cat mat"}
        {"_id": "q2", "text": "java search"}
        """);
    Files.writeString(beir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td3\t1\n");
    Path splade = TinyModels.splade(tmp.resolve("splade"));
    Path index = tmp.resolve("beir-index");
    Run indexed = run("index", "--beir", beir.toString(), "--index", index.toString(), "--sparse-model", splade.toString(), "--quiet");
    assertEquals(0, indexed.exit(), indexed.err());
    // Sparse by hand: q1 "cat mat" scores d1 highest (shares cat and mat); q2 "java search" scores d3 highest.
    for (String[] mode : List.of(new String[] {"--mode", "sparse"}, new String[] {"--mode", "hybrid", "--fuse", "sparse,bm25"},
        new String[] {"--mode", "hybrid", "--fuse", "dense,sparse,bm25", "--fusion", "weighted"})) {
      Path json = tmp.resolve("eval.json");
      List<String> args = new ArrayList<>(List.of("eval", "retrieval", "--data", beir.toString(), "--index", index.toString(),
          "--json", json.toString(), "--quiet", "--no-cache"));
      args.addAll(List.of(mode));
      Run eval = run(args.toArray(new String[0]));
      assertEquals(0, eval.exit(), eval.err());
      assertTrue(eval.out().contains("through index") && eval.out().contains(mode[1]), eval.out());
      JsonNode result = JSON.readTree(Files.readString(json));
      assertEquals(1.0, result.findValue("ndcg_at_10").asDouble(), 1e-9, String.join(" ", mode) + ": " + result);
    }
  }
}

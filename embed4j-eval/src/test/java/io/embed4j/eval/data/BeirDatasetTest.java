package io.embed4j.eval.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.Embed4jException;
import io.embed4j.eval.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BeirDatasetTest {
  @TempDir Path dir;

  private void write(String corpus, String queries, String qrels) throws IOException {
    Files.writeString(dir.resolve("corpus.jsonl"), corpus);
    Files.writeString(dir.resolve("queries.jsonl"), queries);
    Files.createDirectories(dir.resolve("qrels"));
    Files.writeString(dir.resolve("qrels/test.tsv"), qrels);
  }

  @Test
  void readsCrlfQrelsWithGradesAndJoinsTitleAndTextAsMteb() throws IOException {
    write("""
        {"_id": "d1", "title": "Title", "text": "Body text. "}
        {"_id": "d2", "title": "", "text": " Only text"}
        {"_id": "d3", "text": "No title field"}
        """,
        """
        {"_id": "q2", "text": "second"}
        {"_id": "q1", "text": "first", "metadata": {"x": NaN}}
        {"_id": "q3", "text": "not in this split"}
        """,
        "query-id\tcorpus-id\tscore\r\nq1\td1\t2\r\nq1\td2\t0\r\nq2\td3\t1\r\n");
    BeirDataset d = BeirDataset.load(dir, "test");
    assertEquals(List.of("d1", "d2", "d3"), d.docIds());
    assertEquals(List.of("Title Body text.", "Only text", "No title field"), d.docTexts());
    assertEquals(List.of("q1", "q2"), d.queryIds(), "queries are those of the split's qrels, in qrels order");
    assertEquals(List.of("first", "second"), d.queryTexts());
    assertEquals(Map.of("d1", 2, "d2", 0), d.qrels().get("q1"));
    assertEquals(2, d.judgedQueries());
  }

  @Test
  void mistakesNameFileLineAndField() throws IOException {
    write("{\"_id\": \"d1\", \"title\": \"t\"}\n", "{\"_id\": \"q\", \"text\": \"x\"}\n", "query-id\tcorpus-id\tscore\nq\td1\t1\n");
    var e = assertThrows(Embed4jException.InvalidInput.class, () -> BeirDataset.load(dir, "test"));
    assertTrue(e.getMessage().contains("corpus.jsonl:1: missing field 'text'"), e.getMessage());

    write("{\"_id\": \"d1\", \"text\": \"a\"}\n{\"_id\": \"d1\", \"text\": \"b\"}\n", "{\"_id\": \"q\", \"text\": \"x\"}\n", "query-id\tcorpus-id\tscore\nq\td1\t1\n");
    e = assertThrows(Embed4jException.InvalidInput.class, () -> BeirDataset.load(dir, "test"));
    assertTrue(e.getMessage().contains("corpus.jsonl:2: duplicate _id 'd1' (first on line 1)"), e.getMessage());

    write("{\"_id\": \"d1\", \"text\": \"a\"}\n", "{\"_id\": \"q\", \"text\": \"x\"}\n", "query-id\tcorpus-id\tscore\nq\td1\t1.5\n");
    e = assertThrows(Embed4jException.InvalidInput.class, () -> BeirDataset.load(dir, "test"));
    assertTrue(e.getMessage().contains("test.tsv:2: score '1.5' is not an integer"), e.getMessage());

    write("{\"_id\": \"d1\", \"text\": \"a\"}\n", "{\"_id\": \"q\", \"text\": \"x\"}\n", "query-id\tcorpus-id\tscore\nq9\td1\t1\n");
    e = assertThrows(Embed4jException.InvalidInput.class, () -> BeirDataset.load(dir, "test"));
    assertTrue(e.getMessage().contains("query-id 'q9' is not in"), e.getMessage());

    write("{\"_id\": \"d1\", \"text\": \"a\"}\n", "{\"_id\": \"q\" \"text\": \"x\"}\n", "query-id\tcorpus-id\tscore\nq\td1\t1\n");
    e = assertThrows(Embed4jException.InvalidInput.class, () -> BeirDataset.load(dir, "test"));
    assertTrue(e.getMessage().contains("queries.jsonl:1: invalid JSON"), e.getMessage());

    e = assertThrows(Embed4jException.InvalidInput.class, () -> BeirDataset.load(dir, "dev"));
    assertTrue(e.getMessage().contains("dev.tsv: no such file") && e.getMessage().contains("[test]"), e.getMessage());
  }

  @Test
  void readsTheSharedSciFactTestSplit() {
    BeirDataset d = BeirDataset.load(SharedData.require("datasets/scifact"), "test");
    assertEquals(5183, d.docIds().size());
    assertEquals(300, d.queryIds().size());
    assertEquals(300, d.judgedQueries());
    assertEquals(339, d.qrels().values().stream().mapToInt(Map::size).sum());
  }

  @Test
  void keepsTheExplicitZeroJudgementsOfNqUtd() {
    BeirDataset d = BeirDataset.load(SharedData.require("datasets/nq-utd"), "test");
    assertEquals(800, d.docIds().size());
    assertEquals(80, d.queryIds().size());
    long zeros = d.qrels().values().stream().flatMap(m -> m.values().stream()).filter(s -> s == 0).count();
    assertEquals(503, zeros);
  }
}

package io.embed4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code embed4j bench texts} on a tiny fake ../shared tree. The expected texts are what the former
 * scripts/make-bench-texts.py wrote for the same files.
 */
class BenchTextsCommandTest {
  @TempDir Path tmp;
  Path shared;

  /** All distinct texts of the fake tree, in the script's order: SciFact, STS-B, NQ-UTD, then SciFact pairs. */
  static final List<String> EXPECTED = List.of(
      "Café au lait in mice", // NBSP, double space and U+3000 become one space each; é stays
      "The first sentence is long enough.",
      "The second one, too: it ends here! short tail follows it.", // no split before a lower-case letter
      "(A parenthesised sentence closes it.)", // "Too short." before it is under 20 characters
      "Quote \" backslash \\ tab here", // the tab is whitespace, so a space by then
      "Ratios rose 2.5 times in 12 cases.",
      "3 groups of mice were tested here.",
      "[Brackets] start a sentence too.", // split at a no-break space, as Python's \s matches it
      "Bell\u0007 and backspace\b stay",
      "Greek \uD835\uDEFC\uD835\uDEFD works fine.", // 20 code points (22 UTF-16 units): kept
      "Supplementary characters count once.",
      "A man is playing a flute.",
      "A man plays the flute.",
      "A dog runs.",
      "A cat sleeps.",
      "Passage one is here. It has 2 sentences in it.",
      "Passage one is here.",
      "It has 2 sentences in it.",
      "The first sentence is long enough. The second one, too: it ends here! short tail follows it.",
      "The second one, too: it ends here! short tail follows it. (A parenthesised sentence closes it.)",
      "Ratios rose 2.5 times in 12 cases. 3 groups of mice were tested here.",
      "3 groups of mice were tested here. [Brackets] start a sentence too.",
      "Greek \uD835\uDEFC\uD835\uDEFD works fine. Supplementary characters count once.");

  @BeforeEach
  void fakeShared() throws IOException {
    shared = tmp.resolve("shared");
    ObjectMapper json = new ObjectMapper();
    Path scifact = Files.createDirectories(shared.resolve("datasets/scifact"));
    Files.writeString(scifact.resolve("corpus.jsonl"), String.join("\n",
        json.writeValueAsString(Map.of("_id", "1", "title", "Café\u00a0au  lait in\u3000mice",
            "text", "The first sentence is long enough. The second one, too: it ends here! short tail follows it. "
                + "Too short. (A parenthesised sentence closes it.)")),
        "",
        "\u00a0 ", // blank to Python's strip(), not to Java's isBlank()
        json.writeValueAsString(Map.of("_id", "2", "title", "Quote \" backslash \\ tab\there",
            "text", "Ratios rose 2.5 times in 12 cases. 3 groups of mice were tested here.\u00a0[Brackets] start a sentence too.")),
        json.writeValueAsString(Map.of("_id", "3", "title", "Bell\u0007 and backspace\b stay",
            // 18 code points but 20 UTF-16 units: dropped
            "text", "Greek \uD835\uDEFC\uD835\uDEFD is short. Greek \uD835\uDEFC\uD835\uDEFD works fine. "
                + "Supplementary characters count once."))) + "\n");
    Path sts = Files.createDirectories(shared.resolve("datasets/stsbenchmark"));
    Files.writeString(sts.resolve("sts-train.csv"),
        "main-captions\tMSRvid\t2012test\t0001\t5.000\tA man is playing a flute.\tA man plays the flute.\r\n"
            + "main-captions\tMSRvid\t2012test\t0002\t3.800\tThe first sentence is long enough.\n"); // a duplicate
    Files.writeString(sts.resolve("sts-dev.csv"), "genre\tfile\tyear\t0003\t1.000\tA   dog\u2009runs.\tA cat sleeps.\tmore\n");
    Files.writeString(sts.resolve("sts-test.csv"), "");
    Path nq = Files.createDirectories(shared.resolve("datasets/nq-utd"));
    Files.writeString(nq.resolve("corpus.jsonl"),
        json.writeValueAsString(Map.of("_id", "n1", "title", "Not used", "text", "Passage one is here. It has 2 sentences in it.")) + "\n");
  }

  @Test
  void writesEveryDistinctTextInTheScriptsOrderAsTextAndJsonLines() throws IOException {
    Path out = tmp.resolve("out");
    int exit = Embed4jCli.execute("bench", "texts", "--count", "" + EXPECTED.size(), "--output", out.toString(), "--shared", shared.toString());
    assertEquals(0, exit);

    assertEquals(String.join("\n", EXPECTED) + "\n", Files.readString(out.resolve("texts.txt"), StandardCharsets.UTF_8));
    List<String> jsonl = Files.readAllLines(out.resolve("texts.jsonl"), StandardCharsets.UTF_8);
    assertEquals(EXPECTED.size(), jsonl.size());
    assertEquals("{\"id\": \"t000000\", \"text\": \"Café au lait in mice\"}", jsonl.get(0));
    assertEquals("{\"id\": \"t000004\", \"text\": \"Quote \\\" backslash \\\\ tab here\"}", jsonl.get(4));
    assertEquals("{\"id\": \"t000008\", \"text\": \"Bell\\u0007 and backspace\\b stay\"}", jsonl.get(8));
    assertEquals("{\"id\": \"t000022\", \"text\": \"Greek \uD835\uDEFC\uD835\uDEFD works fine. Supplementary characters count once.\"}",
        jsonl.get(22));
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < EXPECTED.size(); i++) {
      assertEquals(String.format("t%06d", i), json.readTree(jsonl.get(i)).get("id").textValue());
      assertEquals(EXPECTED.get(i), json.readTree(jsonl.get(i)).get("text").textValue());
    }
  }

  @Test
  void countTakesTheFirstTexts() throws IOException {
    Path out = tmp.resolve("out");
    assertEquals(0, Embed4jCli.execute("bench", "texts", "-n", "5", "-o", out.toString(), "--shared", shared.toString()));
    assertEquals(EXPECTED.subList(0, 5), Files.readAllLines(out.resolve("texts.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void tooFewTextsOrNoSharedDataIsAOneLineErrorWithExitCode2() throws Exception {
    ChildCli.Run r = ChildCli.run(tmp, 60, "bench", "texts", "-n", "" + (EXPECTED.size() + 1), "-o", tmp.resolve("out").toString(),
        "--shared", shared.toString());
    assertOneLineError(r, "embed4j: only 23 distinct texts in " + shared + "; asked for 24");
    assertFalse(Files.exists(tmp.resolve("out")), "nothing written when the texts fall short");

    r = ChildCli.run(tmp, 60, "bench", "texts", "-o", tmp.resolve("out").toString(), "--shared", tmp.resolve("absent").toString());
    assertOneLineError(r, "embed4j: no datasets/scifact/corpus.jsonl under " + tmp.resolve("absent"));
  }

  @Test
  void pythonWhitespaceAndJsonEscapingAreNotJavas() {
    // Python's str.isspace(): the file separators and NEL are whitespace; U+180E and U+200B are not (since Unicode 6.3).
    assertEquals("a b c d", BenchTextsCommand.normalizeWhitespace("\u001ca\u0085b\u2007 c\u3000\u205fd\u2029"));
    assertEquals("a\u180eb\u200bc", BenchTextsCommand.normalizeWhitespace("a\u180eb\u200bc"));
    assertEquals(List.of("Ends with a full stop.", "Second sentence, long enough"),
        BenchTextsCommand.sentences(" Ends with a full stop.\u2003\u2003Second sentence, long enough\n"));
    assertEquals("\"tab\\t newline\\n return\\r formfeed\\f unit\\u001f del\u007f \\\"q\\\" \\\\ é\"",
        BenchTextsCommand.pythonJsonString("tab\t newline\n return\r formfeed\f unit\u001f del\u007f \"q\" \\ é"));
  }

  private static void assertOneLineError(ChildCli.Run r, String expected) {
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains(expected), "stderr should say '" + expected + "' but was: " + r.err());
    assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }
}

package io.embed4j.eval.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.Embed4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scores kept in a file: a rerun scores only what the file lacks. */
class PairScoreCacheTest {
  @TempDir Path tmp;

  /** Scores a document by its length and remembers what it was asked. */
  private static final class LengthScorer implements RerankingRetriever.PairScorer {
    final List<String> asked = new ArrayList<>();

    @Override
    public float[] score(String query, List<String> documents) {
      asked.addAll(documents);
      float[] s = new float[documents.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = documents.get(i).length() + query.length() / 10f;
      }
      return s;
    }
  }

  @Test
  void aSecondRunScoresOnlyNewPairs() {
    Path file = tmp.resolve("scores.tsv");
    LengthScorer first = new LengthScorer();
    try (PairScoreCache c = PairScoreCache.open(file, "model-a", first)) {
      assertArrayEquals(new float[] {1.3f, 3.3f}, c.score("qqq", List.of("x", "xxx")), 0);
      assertEquals(2, c.misses());
    }
    LengthScorer second = new LengthScorer();
    try (PairScoreCache c = PairScoreCache.open(file, "model-a", second)) {
      assertArrayEquals(new float[] {3.3f, 2.3f, 1.3f}, c.score("qqq", List.of("xxx", "xx", "x")), 0);
      assertEquals(List.of("xx"), second.asked, "only the pair the file lacks");
      assertEquals(2, c.hits());
      assertArrayEquals(new float[] {1.0f}, c.score("qqqqqqqqqq", List.of("")), 0, "another query is another pair");
    }
  }

  @Test
  void aFileOfAnotherScorerIsRefused() {
    Path file = tmp.resolve("scores.tsv");
    try (PairScoreCache c = PairScoreCache.open(file, "model-a", new LengthScorer())) {
      c.score("q", List.of("d"));
    }
    Embed4jException e = assertThrows(Embed4jException.class, () -> PairScoreCache.open(file, "model-b", new LengthScorer()));
    assertTrue(e.getMessage().contains("scores.tsv:1: scores of 'model-a', not of 'model-b'"), e.getMessage());
  }

  @Test
  void aLineCutShortByAnInterruptedRunIsScoredAgain() throws IOException {
    Path file = tmp.resolve("scores.tsv");
    try (PairScoreCache c = PairScoreCache.open(file, "m", new LengthScorer())) {
      c.score("q", List.of("d"));
    }
    Files.writeString(file, PairScoreCache.key("q", "dd").substring(0, 7), StandardOpenOption.APPEND);
    LengthScorer again = new LengthScorer();
    try (PairScoreCache c = PairScoreCache.open(file, "m", again)) {
      assertArrayEquals(new float[] {1.1f, 2.1f}, c.score("q", List.of("d", "dd")), 0);
      assertEquals(List.of("dd"), again.asked);
    }
    LengthScorer third = new LengthScorer();
    try (PairScoreCache c = PairScoreCache.open(file, "m", third)) {
      c.score("q", List.of("d", "dd"));
      assertEquals(List.of(), third.asked, "the pair scored after the cut line was kept");
    }
  }
}

package io.embed4j.eval.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.embed4j.eval.metrics.ScoredDoc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrecRunTest {
  @TempDir Path dir;

  @Test
  void linesAreQidQ0DocidRankScoreTagInTrecEvalOrder() throws IOException {
    Map<String, List<ScoredDoc>> run = new LinkedHashMap<>();
    run.put("q1", List.of(new ScoredDoc("d1", 0.5f), new ScoredDoc("d2", 0.75f), new ScoredDoc("d3", 0.5f)));
    Path f = dir.resolve("run.trec");
    TrecRun.write(f, run, "embed4j-test");
    assertEquals(List.of("q1 Q0 d2 1 0.75 embed4j-test", "q1 Q0 d3 2 0.5 embed4j-test", "q1 Q0 d1 3 0.5 embed4j-test"), Files.readAllLines(f));
  }

  @Test
  void scoresReadBackToTheSameValue() {
    float f = 0.12345679f;
    assertEquals(f, Float.parseFloat(TrecRun.format(f)));
    double d = 0.1234567890123;
    assertEquals(d, Double.parseDouble(TrecRun.format(d)));
  }

  @Test
  void idsWithSpacesCannotBeWritten() {
    Map<String, List<ScoredDoc>> run = Map.of("q 1", List.of(new ScoredDoc("d", 1)));
    assertThrows(IllegalArgumentException.class, () -> TrecRun.write(dir.resolve("x.trec"), run, "t"));
  }
}

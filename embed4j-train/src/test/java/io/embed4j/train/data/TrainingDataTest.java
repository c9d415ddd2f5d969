package io.embed4j.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.Embed4jException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingDataTest {
  @TempDir Path tmp;

  @Test
  void jsonlColumnsFollowTheFirstLineAndListsExpand() throws Exception {
    Path f = tmp.resolve("t.jsonl");
    Files.write(f, List.of("{\"_id\": 1, \"anchor\": \"q\", \"positive\": \"p\", \"negatives\": [\"n1\", \"n2\"]}",
        "{\"anchor\": \"q2\", \"positive\": \"p2\", \"negatives\": [\"m1\", \"m2\"]}"));
    TrainingSet s = TrainingData.load(f, "train");
    assertEquals(List.of("anchor", "positive", "negatives_1", "negatives_2"), s.columns());
    assertEquals(List.of("q2", "p2", "m1", "m2"), s.examples().get(1).texts());
    assertFalse(s.labeled());
  }

  @Test
  void scoredPairsCarryTheirLabel() throws Exception {
    Path f = tmp.resolve("s.jsonl");
    Files.write(f, List.of("{\"sentence1\": \"a\", \"sentence2\": \"b\", \"score\": 0.25}"));
    TrainingSet s = TrainingData.load(f, "train");
    assertTrue(s.labeled());
    assertEquals(0.25, s.examples().get(0).label());
  }

  @Test
  void aLineWithAnotherShapeIsAnErrorNamingTheLine() throws Exception {
    Path f = tmp.resolve("bad.jsonl");
    Files.write(f, List.of("{\"anchor\": \"q\", \"positive\": \"p\"}", "{\"anchor\": \"q\"}"));
    var e = assertThrows(Embed4jException.InvalidInput.class, () -> TrainingData.load(f, "train"));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }

  @Test
  void stsFilesAreScoredPairsSplitOnTabsOnly() throws Exception {
    Path f = tmp.resolve("sts-train.csv");
    Files.write(f, List.of("main-captions\tMSRvid\t2012test\t0001\t5.000\tA \"plane\" is taking off.\tAn air plane is taking off."));
    TrainingSet s = TrainingData.load(f, "train");
    assertEquals(List.of("A \"plane\" is taking off.", "An air plane is taking off."), s.examples().get(0).texts());
    assertEquals(5.0, s.examples().get(0).label());
  }

  @Test
  void beirTrainSplitGivesOnePairPerRelevantQrel() {
    Path scifact = io.embed4j.train.SharedData.require("datasets/scifact");
    TrainingSet s = TrainingData.load(scifact, "train");
    assertEquals(919, s.size());
    assertEquals(List.of("anchor", "positive"), s.columns());
  }

  @Test
  void noBatchRepeatsAText() {
    List<TrainingExample> ex = List.of(new TrainingExample(List.of("q1", "same")), new TrainingExample(List.of("q2", "same")),
        new TrainingExample(List.of("q3", "p3")), new TrainingExample(List.of("q4", "p4")));
    TrainingSet s = new TrainingSet("t", List.of("anchor", "positive"), ex, false);
    for (int epoch = 0; epoch < 5; epoch++) {
      List<int[]> batches = new NoDuplicatesBatchSampler(s, 2, 7).batches(epoch);
      int total = 0;
      for (int[] b : batches) {
        Set<String> seen = new HashSet<>();
        for (int i : b) {
          for (String t : ex.get(i).texts()) {
            assertTrue(seen.add(t), "text '" + t + "' twice in a batch");
          }
        }
        total += b.length;
      }
      assertEquals(4, total, "every example once per epoch");
    }
  }
}

package io.embed4j.index.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Fused scores worked out by hand. */
class FusionTest {
  private static List<Ranked<String>> ranking(String... keysAndScores) {
    List<Ranked<String>> out = new java.util.ArrayList<>();
    for (int i = 0; i < keysAndScores.length; i += 2) {
      out.add(new Ranked<>(keysAndScores[i], Double.parseDouble(keysAndScores[i + 1])));
    }
    return out;
  }

  @Test
  void rrfSumsReciprocalRanks() {
    List<Ranked<String>> dense = ranking("a", "0.9", "b", "0.8", "c", "0.7");
    List<Ranked<String>> bm25 = ranking("c", "12", "a", "3");
    List<Ranked<String>> fused = new ReciprocalRankFusion(60).fuse(List.of(dense, bm25), 10);
    // a: 1/61 + 1/62; c: 1/63 + 1/61; b: 1/62
    assertEquals(List.of("a", "c", "b"), fused.stream().map(Ranked::key).toList());
    assertEquals(1.0 / 61 + 1.0 / 62, fused.get(0).score(), 1e-12);
    assertEquals(1.0 / 63 + 1.0 / 61, fused.get(1).score(), 1e-12);
    assertEquals(1.0 / 62, fused.get(2).score(), 1e-12);
  }

  @Test
  void rrfTiesKeepFirstSeenOrderAndTopNCuts() {
    List<Ranked<String>> x = ranking("a", "1");
    List<Ranked<String>> y = ranking("b", "1");
    List<Ranked<String>> fused = Fusion.RRF.fuse(List.of(x, y), 1);
    assertEquals(List.of("a"), fused.stream().map(Ranked::key).toList());
  }

  @Test
  void weightedFusionMinMaxNormalizesEachRanking() {
    List<Ranked<String>> dense = ranking("a", "0.9", "b", "0.5", "c", "0.1");
    List<Ranked<String>> bm25 = ranking("c", "20", "b", "10", "d", "0");
    List<Ranked<String>> fused = new WeightedScoreFusion(List.of(0.75, 0.25)).fuse(List.of(dense, bm25), 10);
    // a: .75*1 = .75; b: .75*.5 + .25*.5 = .5; c: .75*0 + .25*1 = .25; d: 0
    assertEquals(List.of("a", "b", "c", "d"), fused.stream().map(Ranked::key).toList());
    assertEquals(0.75, fused.get(0).score(), 1e-12);
    assertEquals(0.5, fused.get(1).score(), 1e-12);
    assertEquals(0.25, fused.get(2).score(), 1e-12);
    assertEquals(0.0, fused.get(3).score(), 1e-12);
  }

  @Test
  void weightedFusionGivesEqualScoresFullWeight() {
    List<Ranked<String>> fused = Fusion.parse("weighted", 0.5).fuse(List.of(ranking("a", "3", "b", "3"), List.of()), 10);
    assertEquals(0.5, fused.get(0).score(), 1e-12);
    assertEquals(0.5, fused.get(1).score(), 1e-12);
  }

  @Test
  void threeRankingsFuseByRrfAndByWeights() {
    List<Ranked<String>> dense = ranking("a", "0.9", "b", "0.5", "c", "0.1");
    List<Ranked<String>> sparse = ranking("b", "8", "c", "4", "a", "0");
    List<Ranked<String>> bm25 = ranking("c", "20", "d", "10");
    List<Ranked<String>> rrf = Fusion.parse("rrf", null, 3).fuse(List.of(dense, sparse, bm25), 10);
    // a: 1/61 + 1/63; b: 1/62 + 1/61; c: 1/63 + 1/62 + 1/61; d: 1/62
    assertEquals(List.of("c", "b", "a", "d"), rrf.stream().map(Ranked::key).toList());
    assertEquals(1.0 / 63 + 1.0 / 62 + 1.0 / 61, rrf.get(0).score(), 1e-12);
    assertEquals(1.0 / 62, rrf.get(3).score(), 1e-12);

    List<Ranked<String>> weighted = Fusion.parse("weighted", List.of(0.5, 0.3, 0.2), 3).fuse(List.of(dense, sparse, bm25), 10);
    // a: .5*1 + .3*0 = .5; b: .5*.5 + .3*1 = .55; c: .5*0 + .3*.5 + .2*1 = .35; d: .2*0 = 0
    assertEquals(List.of("b", "a", "c", "d"), weighted.stream().map(Ranked::key).toList());
    assertEquals(0.55, weighted.get(0).score(), 1e-12);
    assertEquals(0.5, weighted.get(1).score(), 1e-12);
    assertEquals(0.35, weighted.get(2).score(), 1e-12);

    List<Ranked<String>> equal = Fusion.parse("weighted", null, 3).fuse(List.of(dense, sparse, bm25), 10);
    assertEquals((1.0 + 0.5) / 3, equal.stream().filter(r -> r.key().equals("c")).findFirst().orElseThrow().score(), 1e-12,
        "no weights given: a third each");
    org.junit.jupiter.api.Assertions.assertThrows(io.embed4j.Embed4jException.InvalidInput.class,
        () -> Fusion.parse("weighted", List.of(0.5, 0.5), 3));
  }
}

package io.embed4j.eval.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.Embed4jException;
import io.embed4j.eval.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StsDatasetTest {
  @TempDir Path dir;

  @Test
  void stsBenchmarkSplitsOnTabsOnlyAndIgnoresTrailingFields() throws IOException {
    Path f = dir.resolve("sts.csv");
    Files.writeString(f, "main-forums\tdeft-forum\t2014\t0001\t1.500\tHe said \"no.\tShe said \"yes\"\tsource\tauthor\n"
        + "main-news\theadlines\t2015\t0002\t4.000\tA, B\tA; B\n");
    StsDataset d = StsDataset.load(f);
    assertEquals(StsDataset.Format.STS_BENCHMARK, d.format());
    assertEquals(List.of("He said \"no.", "A, B"), d.sentences1());
    assertEquals(List.of("She said \"yes\"", "A; B"), d.sentences2());
    assertArrayEquals(new double[] {1.5, 4.0}, d.scores());
  }

  @Test
  void sickIsFoundByItsHeader() throws IOException {
    Path f = dir.resolve("SICK_test.txt");
    Files.writeString(f, "pair_ID\tsentence_A\tsentence_B\trelatedness_score\tentailment_judgment\r\n"
        + "1\tA dog runs\tA dog is running\t4.5\tENTAILMENT\r\n2\tA cat\tA car\t1.2\tNEUTRAL\r\n");
    StsDataset d = StsDataset.load(f);
    assertEquals(StsDataset.Format.SICK, d.format());
    assertEquals(List.of("A dog runs", "A cat"), d.sentences1());
    assertArrayEquals(new double[] {4.5, 1.2}, d.scores());
  }

  @Test
  void jsonLinesNeedSentencesAndScore() throws IOException {
    Path f = dir.resolve("pairs.jsonl");
    Files.writeString(f, "{\"sentence1\": \"a\", \"sentence2\": \"b\", \"score\": 0.5}\n\n{\"sentence1\": \"c\", \"sentence2\": \"d\", \"score\": 3}\n");
    StsDataset d = StsDataset.load(f);
    assertEquals(StsDataset.Format.JSONL, d.format());
    assertArrayEquals(new double[] {0.5, 3}, d.scores());

    Files.writeString(f, "{\"sentence1\": \"a\", \"sentence2\": \"b\", \"score\": 0.5}\n{\"sentence1\": \"c\", \"score\": 3}\n");
    var e = assertThrows(Embed4jException.InvalidInput.class, () -> StsDataset.load(f));
    assertTrue(e.getMessage().contains("pairs.jsonl:2: missing string field 'sentence2'"), e.getMessage());
  }

  @Test
  void unrecognisedLinesNameFileAndLine() throws IOException {
    Path f = dir.resolve("bad.csv");
    Files.writeString(f, "g\tf\t2012\t1\t2.0\ta\tb\ng\tf\t2012\t2\tfive\ta\tb\n");
    var e = assertThrows(Embed4jException.InvalidInput.class, () -> StsDataset.load(f));
    assertTrue(e.getMessage().contains("bad.csv:2: score 'five' is not a number"), e.getMessage());
    Files.writeString(f, "just,a,csv,line\n");
    e = assertThrows(Embed4jException.InvalidInput.class, () -> StsDataset.load(f));
    assertTrue(e.getMessage().contains("bad.csv:1: 1 tab-separated field(s)"), e.getMessage());
  }

  @Test
  void readsTheSharedStsBenchmarkTestSplit() {
    StsDataset d = StsDataset.load(SharedData.require("datasets/stsbenchmark/sts-test.csv"));
    assertEquals(1379, d.size());
    assertEquals(StsDataset.Format.STS_BENCHMARK, d.format());
  }
}

package io.embed4j.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.encode.Precision;
import io.embed4j.eval.EvalResult;
import io.embed4j.eval.VectorVariant;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {
  @TempDir Path dir;

  private static EvalResult sweep() {
    Map<VectorVariant, Map<String, Double>> scores = new LinkedHashMap<>();
    double[] base = {0.64, 0.63, 0.60, 0.52};
    int[] dims = {384, 256, 128, 64};
    for (int i = 0; i < dims.length; i++) {
      scores.put(new VectorVariant(dims[i], Precision.FLOAT32), Map.of("main_score", base[i], "ndcg_at_10", base[i]));
      scores.put(new VectorVariant(dims[i], Precision.INT8), Map.of("main_score", base[i] - 0.01, "ndcg_at_10", base[i] - 0.01));
      scores.put(new VectorVariant(dims[i], Precision.BINARY), Map.of("main_score", base[i] - 0.08, "ndcg_at_10", base[i] - 0.08));
    }
    Map<String, Double> info = Map.of("corpus_size", 5183.0, "queries", 300.0, "judged_queries", 300.0,
        "corpus_texts_per_second", 80.0, "corpus_cache_hit", 1.0);
    return new EvalResult("retrieval", "all-MiniLM-L6-v2", "scifact", info, scores, null);
  }

  @Test
  void sweepReportHasATableRowPerVariantAndAChartBesideIt() throws IOException {
    Path md = dir.resolve("out/sweep.md");
    Reports.sweep(sweep(), md);
    String text = Files.readString(md);
    assertTrue(text.contains("| 128 | int8 | 128 | 0.5900 |"), text);
    assertTrue(text.contains("| 64 | binary | 8 |"), text);
    assertTrue(text.contains("![nDCG@10 against dimensions and precision](sweep.png)"), text);
    BufferedImage png = ImageIO.read(dir.resolve("out/sweep.png").toFile());
    assertEquals(800, png.getWidth());
    assertEquals(480, png.getHeight());
  }

  @Test
  void compareReportListsModelsWithThroughputAndSize() throws IOException {
    EvalResult a = new EvalResult("sts", "model-a", "sts-test.csv", Map.of("texts_per_second", 700.0),
        Map.of(new VectorVariant(384, Precision.FLOAT32), Map.of("main_score", 0.82)), null);
    EvalResult b = new EvalResult("sts", "model-b", "sts-test.csv", Map.of("texts_per_second", 250.0),
        Map.of(new VectorVariant(768, Precision.FLOAT32), Map.of("main_score", 0.86)), null);
    Path md = dir.resolve("compare.md");
    Reports.compare(List.of(a, b), md);
    String text = Files.readString(md);
    assertTrue(text.contains("| model-a | 0.8200 | 700.0 | 384 | 1536 |"), text);
    assertTrue(text.contains("| model-b | 0.8600 | 250.0 | 768 | 3072 |"), text);
    assertTrue(Files.size(dir.resolve("compare.png")) > 1000);
  }

  @Test
  void jsonUsesMtebKeysAndListsVariantsOfASweep() throws IOException {
    Path out = dir.resolve("r.json");
    ResultJson.write(out, ResultJson.of(sweep(), Map.of("split", "test")));
    JsonNode j = new ObjectMapper().readTree(out.toFile());
    assertEquals("retrieval", j.get("task").asText());
    assertEquals("test", j.get("split").asText());
    assertEquals(0.64, j.get("main_score").asDouble(), 1e-12);
    assertEquals(0.64, j.get("scores").get("ndcg_at_10").asDouble(), 1e-12);
    assertEquals(12, j.get("variants").size());
    assertEquals("binary", j.get("variants").get(2).get("precision").asText());
    assertEquals(48, j.get("variants").get(2).get("bytes_per_vector").asInt());
  }
}

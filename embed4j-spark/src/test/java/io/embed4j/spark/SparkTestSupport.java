package io.embed4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.vector.VectorMath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The tests' Spark session (local[2], 3 attempts per task) and their texts. */
final class SparkTestSupport {
  private SparkTestSupport() {}

  /** Two task slots, as the issue asks; a task may fail twice before the job does. */
  static SparkSession session() {
    return SparkSession.builder()
        .master("local[2,3]")
        .appName("embed4j-spark-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
  }

  /**
   * Real sentences: the first {@code n} distinct ones of STS-B train when ../shared is there, else
   * made-up ones. Short and long texts are mixed, so batches differ in length.
   */
  static List<String> texts(int n) throws IOException {
    String shared = System.getProperty("embed4j.shared");
    Path sts = Path.of(shared != null ? shared : "../../shared").resolve("datasets/stsbenchmark/sts-train.csv");
    List<String> out = new ArrayList<>();
    if (Files.exists(sts)) {
      for (String line : Files.readAllLines(sts, StandardCharsets.UTF_8)) {
        String[] f = line.split("\t");
        for (int i = 5; i <= 6 && i < f.length; i++) {
          if (out.size() < n && !out.contains(f[i])) {
            out.add(f[i]);
          }
        }
        if (out.size() == n) {
          return out;
        }
      }
    }
    for (int i = out.size(); i < n; i++) {
      out.add("sentence number " + i + " about " + "vectors and search ".repeat(1 + i % 7));
    }
    return out;
  }

  /** Writes {"id": "d&lt;i&gt;", "text": ...} lines. */
  static Path writeJsonl(Path file, List<String> texts) throws IOException {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < texts.size(); i++) {
      s.append("{\"id\":\"d").append(i).append("\",\"text\":\"")
          .append(texts.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append("\"}\n");
    }
    return Files.writeString(file, s.toString(), StandardCharsets.UTF_8);
  }

  static float[] floats(Row row, String column) {
    List<Float> list = row.getList(row.fieldIndex(column));
    float[] v = new float[list.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = list.get(i);
    }
    return v;
  }

  /** id → vector of a job's output; fails on a repeated id. */
  static Map<String, float[]> vectorsById(SparkSession spark, Path output) {
    Map<String, float[]> m = new HashMap<>();
    for (Row r : spark.read().parquet(output.toString()).collectAsList()) {
      float[] prev = m.put(r.getString(r.fieldIndex("id")), floats(r, "vector"));
      assertEquals(null, prev, "id " + r.getString(0) + " written twice");
    }
    return m;
  }

  static void assertSameVectors(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": width");
    float cos = VectorMath.cosine(expected, actual);
    assertTrue(cos >= 0.9999, what + ": cosine " + cos + " < 0.9999");
  }
}

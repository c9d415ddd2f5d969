package io.embed4j.spark;

import static io.embed4j.spark.SparkTestSupport.assertSameVectors;
import static io.embed4j.spark.SparkTestSupport.vectorsById;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.Embed4jException;
import io.embed4j.cli.Embed4jCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spark-submit job in local[2]: same vectors as `embed4j encode`, no duplicates after retries, resumable. */
class EmbedJobTest {
  private static final EmbedSpec SPEC = EmbedSpec.of("all-MiniLM-L6-v2");

  private static SparkSession spark;
  private static List<String> texts;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    spark = SparkTestSupport.session();
    texts = SparkTestSupport.texts(240);
    InjectedFaults.register(spark);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private Path input() throws Exception {
    return SparkTestSupport.writeJsonl(tmp.resolve("texts.jsonl"), texts);
  }

  @Test
  void jobWritesTheSameVectorsAsEmbed4jEncode() throws Exception {
    Path out = tmp.resolve("vectors");
    JobReport report = EmbedJob.run(spark, EmbedRequest.of(input().toString(), out.toString(), SPEC).withPartitions(3));
    assertEquals(texts.size(), report.written());
    assertEquals(3, report.embedded());

    Path txt = Files.write(tmp.resolve("texts.txt"), texts);
    Path cliOut = tmp.resolve("cli.jsonl");
    assertEquals(0, Embed4jCli.execute("encode", "--input", txt.toString(), "--output", cliOut.toString(), "--quiet"));
    List<String> lines = Files.readAllLines(cliOut);
    ObjectMapper json = new ObjectMapper();
    Map<String, float[]> spark = vectorsById(EmbedJobTest.spark, out);
    assertEquals(texts.size(), spark.size());
    for (int i = 0; i < texts.size(); i++) {
      assertSameVectors(json.readValue(lines.get(i), float[].class), spark.get("d" + i), "text " + i);
    }

    Row first = EmbedJobTest.spark.read().parquet(out.toString()).first();
    assertEquals("all-MiniLM-L6-v2", first.getString(first.fieldIndex("model")));
    assertEquals(64, first.getString(first.fieldIndex("model_revision")).length());
    assertEquals(384, first.getInt(first.fieldIndex("dimensions")));
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    assertTrue(Files.exists(out.resolve("_embed4j.json")));
    assertFalse(Files.exists(out.resolve("_temporary")), "failed attempts' files are cleaned up");
  }

  @Test
  void modelIsLoadedOncePerExecutorNotPerPartition() throws Exception {
    Embed4jSpark.modelInfo(SPEC); // this JVM is the driver and the only executor
    int before = ExecutorModels.loads();
    EmbedJob.run(spark, EmbedRequest.of(input().toString(), tmp.resolve("v").toString(), SPEC).withPartitions(6));
    assertEquals(before, ExecutorModels.loads(), "six partitions, no further load");
  }

  @Test
  void retriedTaskLeavesNoDuplicates() throws Exception {
    InjectedFaults.FIRST_ATTEMPT_ROWS.set(0);
    Path out = tmp.resolve("vectors");
    EmbedRequest request = EmbedRequest.of(input().toString(), out.toString(), SPEC.withBlockSize(4))
        .withTextExpr("fail_first_attempt(text)").withPartitions(3);
    JobReport report = EmbedJob.run(spark, request);
    assertTrue(InjectedFaults.FIRST_ATTEMPT_ROWS.get() > 20, "the first attempt of bucket 1 failed after writing rows");
    assertEquals(texts.size(), report.written());
    Map<String, float[]> vectors = vectorsById(spark, out); // fails on a repeated id
    assertEquals(texts.size(), vectors.size());
    assertEquals(texts.size(), spark.read().parquet(out.toString()).count());
    assertFalse(Files.exists(out.resolve("_temporary")));
  }

  @Test
  void skipExistingResumesWithoutRedoingFinishedBuckets() throws Exception {
    Path out = tmp.resolve("vectors");
    EmbedRequest request = EmbedRequest.of(input().toString(), out.toString(), SPEC).withTextExpr("fail_bucket_2(text)").withPartitions(4);
    InjectedFaults.BREAK_BUCKET_2.set(true);
    try {
      assertThrows(Exception.class, () -> EmbedJob.run(spark, request), "bucket 2 fails every attempt, so the job fails");
    } finally {
      InjectedFaults.BREAK_BUCKET_2.set(false);
    }
    assertFalse(Files.exists(out.resolve(ParquetBuckets.partName(2))));
    assertFalse(Files.exists(out.resolve("_SUCCESS")));
    Map<String, FileTime> before = partTimes(out);
    assertFalse(before.isEmpty(), "some buckets finished before the job failed");

    // Without --skip-existing the directory is refused, not silently redone or mixed.
    Embed4jException refused = assertThrows(Embed4jException.class, () -> EmbedJob.run(spark, request));
    assertTrue(refused.getMessage().contains("--skip-existing"), refused.getMessage());

    JobReport resumed = EmbedJob.run(spark, request.withSkipExisting(true));
    assertEquals(before.size(), resumed.alreadyDone());
    assertEquals(4 - before.size(), resumed.embedded());
    before.forEach((name, time) -> assertEquals(time, partTimes(out).get(name), name + " was rewritten"));
    assertEquals(texts.size(), vectorsById(spark, out).size());
    assertTrue(Files.exists(out.resolve("_SUCCESS")));

    JobReport again = EmbedJob.run(spark, request.withSkipExisting(true));
    assertEquals(4, again.alreadyDone());
    assertEquals(0, again.written());
  }

  @Test
  void skipExistingRefusesADifferentModelOrPrompt() throws Exception {
    Path out = tmp.resolve("vectors");
    EmbedRequest request = EmbedRequest.of(input().toString(), out.toString(), SPEC).withPartitions(2);
    EmbedJob.run(spark, request);
    Embed4jException e = assertThrows(Embed4jException.class,
        () -> EmbedJob.run(spark, EmbedRequest.of(input().toString(), out.toString(), SPEC.withDimensions(128)).withPartitions(2).withSkipExisting(true)));
    assertTrue(e.getMessage().contains("128-d"), e.getMessage());
    e = assertThrows(Embed4jException.class,
        () -> EmbedJob.run(spark, EmbedRequest.of(input().toString(), out.toString(), SPEC.withPrompt("passage: ")).withPartitions(2).withSkipExisting(true)));
    assertTrue(e.getMessage().contains("prompt passage: "), e.getMessage());
    e = assertThrows(Embed4jException.class, () -> EmbedJob.run(spark, request.withSkipExisting(true).withPartitions(3)));
    assertTrue(e.getMessage().contains("--partitions 3 is not 2"), e.getMessage());
  }

  @Test
  void readsCsvAndParquetWithOtherColumnNames() throws Exception {
    StringBuilder csv = new StringBuilder("doc,body\n");
    for (int i = 0; i < 20; i++) {
      csv.append(i).append(",\"").append(texts.get(i).replace("\"", "\"\"")).append("\"\n");
    }
    Path csvFile = Files.writeString(tmp.resolve("t.csv"), csv);
    Path fromCsv = tmp.resolve("csv-out");
    EmbedJob.run(spark, EmbedRequest.of(csvFile.toString(), fromCsv.toString(), SPEC).withColumns("doc", "body").withPartitions(2));
    Map<String, float[]> a = vectorsById(spark, fromCsv);

    Path parquet = tmp.resolve("t.parquet");
    spark.read().option("header", "true").option("escape", "\"").csv(csvFile.toString())
        .withColumn("doc", functions.col("doc").cast("int")).write().parquet(parquet.toString());
    Path fromParquet = tmp.resolve("parquet-out");
    EmbedJob.run(spark, EmbedRequest.of(parquet.toString(), fromParquet.toString(), SPEC).withColumns("doc", "body").withPartitions(2));
    Map<String, float[]> b = vectorsById(spark, fromParquet);

    assertEquals(20, a.size());
    assertEquals(a.keySet(), b.keySet());
    a.forEach((id, v) -> assertSameVectors(v, b.get(id), "id " + id));
  }

  @Test
  void userMistakesAreOneLineErrors() throws Exception {
    Path in = input();
    Embed4jException e = assertThrows(Embed4jException.class,
        () -> EmbedJob.run(spark, EmbedRequest.of(in.toString(), tmp.resolve("o").toString(), SPEC).withColumns("id", "body")));
    assertTrue(e.getMessage().contains("--text-col body: no such column"), e.getMessage());

    Path notOurs = Files.createDirectories(tmp.resolve("notours"));
    Files.writeString(notOurs.resolve("precious.txt"), "keep me");
    e = assertThrows(Embed4jException.class, () -> EmbedJob.run(spark, EmbedRequest.of(in.toString(), notOurs.toString(), SPEC).withOverwrite(true)));
    assertTrue(e.getMessage().contains("not an embed4j output directory"), e.getMessage());
    assertTrue(Files.exists(notOurs.resolve("precious.txt")));

    assertEquals(2, EmbedJob.execute("--input", in.toString(), "--output", tmp.resolve("o2").toString(), "--format", "xml"));
  }

  private static Map<String, FileTime> partTimes(Path out) {
    Map<String, FileTime> m = new HashMap<>();
    try (var s = Files.list(out)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        m.put(p.getFileName().toString(), Files.getLastModifiedTime(p));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return m;
  }
}

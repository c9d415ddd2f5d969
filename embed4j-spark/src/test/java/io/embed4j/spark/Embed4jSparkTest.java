package io.embed4j.spark;

import static io.embed4j.spark.SparkTestSupport.assertSameVectors;
import static io.embed4j.spark.SparkTestSupport.floats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.Embed4jException;
import io.embed4j.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Dataset API and the SQL UDF against the model itself, in local[2]. */
class Embed4jSparkTest {
  private static final EmbedSpec SPEC = EmbedSpec.of("all-MiniLM-L6-v2");
  private static SparkSession spark;
  private static List<String> texts;
  private static float[][] expected;

  @BeforeAll
  static void start() throws Exception {
    spark = SparkTestSupport.session();
    texts = SparkTestSupport.texts(100);
    try (EmbeddingModel model = EmbeddingModel.load("all-MiniLM-L6-v2")) {
      expected = model.encode(texts);
    }
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Dataset<Row> passages() {
    StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType).add("lang", DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      rows.add(RowFactory.create(i, texts.get(i), "en"));
    }
    rows.add(RowFactory.create(-1, null, "en"));
    return spark.createDataFrame(rows, schema).repartition(3);
  }

  @Test
  void embedAddsAVectorColumnAndKeepsTheOthers() {
    Dataset<Row> out = Embed4jSpark.embed(passages(), "text", SPEC);
    assertEquals(List.of("id", "text", "lang", "vector"), List.of(out.columns()));
    assertEquals(Embed4jSpark.VECTOR_TYPE, out.schema().apply("vector").dataType());
    List<Row> rows = out.collectAsList();
    assertEquals(texts.size() + 1, rows.size());
    for (Row r : rows) {
      int id = r.getInt(0);
      assertEquals("en", r.getString(2));
      if (id < 0) {
        assertNull(r.get(3), "null text, null vector");
      } else {
        assertSameVectors(expected[id], floats(r, "vector"), "row " + id);
      }
    }
  }

  @Test
  void embedWithSmallBlocksGivesTheSameVectors() {
    List<Row> rows = Embed4jSpark.embed(passages(), "text", "v", SPEC.withBlockSize(7)).where("id >= 0").collectAsList();
    for (Row r : rows) {
      assertSameVectors(expected[r.getInt(0)], floats(r, "v"), "row " + r.getInt(0));
    }
  }

  @Test
  void sqlUdfMatchesTheModel() {
    Embed4jSpark.registerUdf(spark, "embed", SPEC);
    passages().createOrReplaceTempView("passages");
    List<Row> rows = spark.sql("SELECT id, embed(text) AS v FROM passages").collectAsList();
    assertEquals(texts.size() + 1, rows.size());
    for (Row r : rows) {
      if (r.getInt(0) < 0) {
        assertNull(r.get(1));
      } else {
        assertSameVectors(expected[r.getInt(0)], floats(r, "v"), "row " + r.getInt(0));
      }
    }
  }

  @Test
  void aNonStringTextColumnIsRefusedWithTheFix() {
    Embed4jException e = assertThrows(Embed4jException.class, () -> Embed4jSpark.embed(passages(), "id", SPEC));
    assertTrue(e.getMessage().contains("column 'id' is int, expected a string"), e.getMessage());
    e = assertThrows(Embed4jException.class, () -> Embed4jSpark.embed(passages(), "text", "lang", SPEC));
    assertTrue(e.getMessage().contains("already has a column 'lang'"), e.getMessage());
  }

  @Test
  void inferenceThreadsComeFromTheExecutorsCoresAndTaskCpus() {
    SparkConf local = new SparkConf().set("spark.master", "local[2,3]");
    assertEquals(new ExecutorCores(2, 1), ExecutorCores.fromConf(local, 16));
    assertEquals(2, ExecutorCores.fromConf(local, 16).slots());
    assertEquals(1, ExecutorCores.fromConf(local, 16).threadsPerTask());
    assertEquals(16, ExecutorCores.fromConf(new SparkConf().set("spark.master", "local[*]"), 16).cores());
    assertEquals(1, ExecutorCores.fromConf(new SparkConf().set("spark.master", "local"), 16).cores());
    ExecutorCores yarn = ExecutorCores.fromConf(new SparkConf().set("spark.master", "yarn")
        .set("spark.executor.cores", "8").set("spark.task.cpus", "4"), 64);
    assertEquals(2, yarn.slots());
    assertEquals(4, yarn.threadsPerTask());
  }
}

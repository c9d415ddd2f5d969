package io.embed4j.spark;

import io.embed4j.Embed4jException;
import io.embed4j.EmbeddingModel;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * embed4j on Spark, for code that already holds a {@code Dataset<Row>}:
 *
 * <pre>{@code
 * EmbedSpec spec = EmbedSpec.of("bge-small-en-v1.5");
 * Dataset<Row> withVectors = Embed4jSpark.embed(passages, "text", spec);   // adds vector: array<float>
 *
 * Embed4jSpark.registerUdf(spark, "embed", spec);                           // small jobs, from SQL
 * spark.sql("SELECT id, embed(text) AS vector FROM passages");
 * }</pre>
 *
 * Each executor loads the model once ({@link ExecutorModels}) and encodes a partition in blocks
 * of {@link EmbedSpec#blockSize()} texts, batched by token budget. The UDF encodes one row at a
 * time (Spark hands a Java UDF single values), so it pays the per-call overhead on every row:
 * prefer {@link #embed} for anything large. For whole jobs with restartable, duplicate-free
 * output, see {@link EmbedJob}.
 */
public final class Embed4jSpark {
  /** Name of the column {@link #embed(Dataset, String, EmbedSpec)} adds. */
  public static final String VECTOR_COLUMN = "vector";
  /** The type of every vector column: array of non-null floats. */
  public static final ArrayType VECTOR_TYPE = DataTypes.createArrayType(DataTypes.FloatType, false);

  private Embed4jSpark() {}

  /** Adds {@value #VECTOR_COLUMN} (array&lt;float&gt;, null where the text is null) embedding {@code textColumn}. */
  public static Dataset<Row> embed(Dataset<Row> input, String textColumn, EmbedSpec spec) {
    return embed(input, textColumn, VECTOR_COLUMN, spec);
  }

  /** Adds {@code vectorColumn} (array&lt;float&gt;, null where the text is null) embedding {@code textColumn}. */
  public static Dataset<Row> embed(Dataset<Row> input, String textColumn, String vectorColumn, EmbedSpec spec) {
    StructType schema = input.schema();
    int textField = stringField(schema, textColumn);
    if (Arrays.asList(schema.fieldNames()).contains(vectorColumn)) {
      throw new Embed4jException.InvalidInput("the dataset already has a column '" + vectorColumn + "'; name the vector column differently");
    }
    StructType out = schema.add(vectorColumn, VECTOR_TYPE, true);
    int width = schema.size();
    MapPartitionsFunction<Row, Row> f = rows -> withVectors(rows, textField, width, spec);
    return input.mapPartitions(f, Encoders.row(out));
  }

  private static Iterator<Row> withVectors(Iterator<Row> rows, int textField, int width, EmbedSpec spec) {
    EmbeddingModel model = ExecutorModels.get(spec);
    PartitionEmbedder embedder = new PartitionEmbedder(rows, textField, model, spec.encodeOptions(), spec.blockSize());
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return embedder.hasNext();
      }

      @Override
      public Row next() {
        PartitionEmbedder.Embedded e = embedder.next();
        Object[] values = new Object[width + 1];
        for (int i = 0; i < width; i++) {
          values[i] = e.row().get(i);
        }
        values[width] = e.vector();
        return RowFactory.create(values);
      }
    };
  }

  /**
   * Registers {@code name(text)} → array&lt;float&gt; for SQL: one text per call, for small jobs and
   * queries. Null text gives a null vector.
   */
  public static void registerUdf(SparkSession spark, String name, EmbedSpec spec) {
    UDF1<String, float[]> udf = text -> text == null ? null : ExecutorModels.get(spec).encode(List.of(text), spec.encodeOptions())[0];
    spark.udf().register(name, udf, VECTOR_TYPE);
  }

  /** Loads the model in this JVM (the driver; in local mode also the executor) and describes it. */
  public static ModelInfo modelInfo(EmbedSpec spec) {
    return ModelInfo.of(ExecutorModels.get(spec), spec);
  }

  static int stringField(StructType schema, String column) {
    int i = Arrays.asList(schema.fieldNames()).indexOf(column);
    if (i < 0) {
      throw new Embed4jException.InvalidInput("no column '" + column + "'; the columns are " + Arrays.toString(schema.fieldNames()));
    }
    StructField f = schema.fields()[i];
    if (!f.dataType().equals(DataTypes.StringType)) {
      throw new Embed4jException.InvalidInput("column '" + column + "' is " + f.dataType().simpleString()
          + ", expected a string; cast it first, e.g. selectExpr(\"CAST(" + column + " AS STRING) AS " + column + "\")");
    }
    return i;
  }
}

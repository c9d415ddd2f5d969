package io.embed4j.spark;

import io.embed4j.Embed4jException;
import io.embed4j.EmbeddingModel;
import io.embed4j.encode.EncodeOptions;
import io.embed4j.model.ModelCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Bulk embedding as a Spark job: texts in (Parquet, JSONL or CSV with an id and a text column),
 * one Parquet row per text out (id, vector, model, model_revision, dimensions).
 *
 * <pre>
 * spark-submit --class io.embed4j.spark.EmbedJob embed4j-spark-all.jar \
 *   --input s3a://corpus/passages/ --output s3a://corpus/vectors/ --model bge-small-en-v1.5
 * </pre>
 *
 * How it runs: ids are hashed into buckets (one shuffle of ids and texts); each bucket is one task,
 * which loads the model once per executor JVM, encodes its texts in token-budget batches and writes
 * one file, renamed into place when complete ({@link ParquetBuckets}). A retried task rewrites its
 * bucket whole, so no id is written twice; {@code --skip-existing} resumes an interrupted run and
 * redoes no committed bucket.
 */
@Command(name = "embed4j-spark", mixinStandardHelpOptions = true, version = "embed4j-spark 0.1.0",
    description = "Embed texts with an embed4j model on Spark; write Parquet (id, vector, model, model_revision, dimensions).")
public final class EmbedJob implements Callable<Integer> {
  @Option(names = {"-i", "--input"}, required = true, description = "Parquet, JSONL or CSV file, directory or glob.")
  String input;

  @Option(names = "--format", defaultValue = "auto", description = "parquet, jsonl, csv or auto (from the extension). Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(names = "--id-col", defaultValue = "id", description = "Column with the ids. Default: ${DEFAULT-VALUE}.")
  String idColumn;

  @Option(names = "--text-col", defaultValue = "text", description = "Column with the texts. Default: ${DEFAULT-VALUE}.")
  String textColumn;

  @Option(names = "--text-expr", description = "Spark SQL expression making the text instead, e.g. \"concat_ws(' ', title, text)\".")
  String textExpr;

  @Option(names = {"-o", "--output"}, required = true,
      description = "Output directory (Parquet), or a SolrCloud collection: solr://HOST:PORT[,HOST:PORT...]/COLLECTION[?shards=N&replicas=N].")
  String output;

  @Option(names = {"-m", "--model"}, defaultValue = ModelCatalog.DEFAULT_MODEL,
      description = "Catalog name, sentence-transformers directory (on every node) or Hub id. Default: ${DEFAULT-VALUE}.")
  String model;

  @Option(names = "--prompt-name", description = "One of the model's prompts, e.g. passage.")
  String promptName;

  @Option(names = "--prompt", description = "A raw prompt prepended to every text.")
  String prompt;

  @Option(names = "--dimensions", defaultValue = "0", description = "Keep the first N dimensions (Matryoshka), re-normalized.")
  int dimensions;

  @Option(names = "--no-normalize", description = "Skip L2 normalization.")
  boolean noNormalize;

  @Option(names = "--long-input", defaultValue = "truncate", description = "truncate (as sentence-transformers) or chunk (windows, pooled).")
  String longInput;

  @Option(names = "--batch-tokens", defaultValue = "" + EncodeOptions.DEFAULT_BATCH_TOKENS, description = "Padded tokens per batch. Default: ${DEFAULT-VALUE}.")
  int batchTokens;

  @Option(names = "--max-batch", defaultValue = "" + EncodeOptions.DEFAULT_MAX_BATCH_SIZE, description = "Texts per batch at most. Default: ${DEFAULT-VALUE}.")
  int maxBatch;

  @Option(names = "--block-size", defaultValue = "" + EmbedSpec.DEFAULT_BLOCK_SIZE,
      description = "Texts per encode call; each is sorted by length and batched. Default: ${DEFAULT-VALUE}.")
  int blockSize;

  @Option(names = "--threads", defaultValue = "0", description = "Inference threads per task (0 = spark.task.cpus, the executor's cores shared by its task slots).")
  int threads;

  @Option(names = "--graph-optimization", defaultValue = "all", description = "ONNX Runtime graph optimization. Default: ${DEFAULT-VALUE}.")
  String graphOptimization;

  @Option(names = "--partitions", defaultValue = "0", description = "Buckets (tasks, output files); 0 = from the input's size.")
  int partitions;

  @Option(names = "--skip-existing", description = "Resume: keep buckets already written, do the rest.")
  boolean skipExisting;

  @Option(names = "--overwrite", description = "Replace an existing embed4j output directory.")
  boolean overwrite;

  @Option(names = "--master", description = "Spark master when not started by spark-submit (default local[*]).")
  String master;

  /** Runs the job on the given session and returns what it did. */
  public static JobReport run(SparkSession spark, EmbedRequest request) {
    return run(spark, request, VectorSink.of(request.output(), new HadoopConf(spark.sparkContext().hadoopConfiguration())));
  }

  static JobReport run(SparkSession spark, EmbedRequest request, VectorSink out) {
    long started = System.nanoTime();
    Dataset<Row> raw = read(spark, request);
    Column id = column(raw, request.idColumn(), "--id-col");
    Column text = request.textExpr() != null ? functions.expr(request.textExpr()) : column(raw, request.textColumn(), "--text-col");

    // On the driver (and, in local mode, the one executor): fails early on a bad model name.
    EmbedSpec spec = request.spec();
    ModelInfo model = Embed4jSpark.modelInfo(spec);

    int buckets = out.prepare(request, model, ExecutorModels.get(spec),
        Math.max(raw.javaRDD().getNumPartitions(), spark.sparkContext().defaultParallelism()));
    Set<Integer> done = request.skipExisting() ? out.finished() : Set.of();

    // Rows are bucketed by the id as read, then the text is made: only ids and texts are shuffled.
    Dataset<Row> texts = raw.repartition(buckets, id)
        .select(id.cast("string").as("id"), text.cast("string").as("text"));
    Set<Integer> skip = Collections.unmodifiableSet(new HashSet<>(done));
    MapPartitionsFunction<Row, BucketResult> task = rows -> writeBucket(rows, out, skip, spec, model);
    List<BucketResult> results = texts.mapPartitions(task, Encoders.javaSerialization(BucketResult.class)).collectAsList();

    out.finish(results); // every bucket is written: a task that failed for good would have failed the job above
    return JobReport.of(request.output(), buckets, results, System.nanoTime() - started);
  }

  private static Iterator<BucketResult> writeBucket(Iterator<Row> rows, VectorSink out, Set<Integer> skip, EmbedSpec spec, ModelInfo model) {
    TaskContext task = TaskContext.get();
    int bucket = task.partitionId();
    if (skip.contains(bucket)) {
      return List.of(BucketResult.skipped(bucket)).iterator();
    }
    EmbeddingModel m = ExecutorModels.get(spec);
    PartitionEmbedder embedder = new PartitionEmbedder(rows, 1, m, spec.encodeOptions(), spec.blockSize());
    String attempt = "s" + task.stageAttemptNumber() + "-t" + task.taskAttemptId();
    return List.of(out.write(bucket, attempt, new BucketRows(embedder), model)).iterator();
  }

  static Dataset<Row> read(SparkSession spark, EmbedRequest r) {
    String format = r.format().equals("auto") ? detectFormat(spark, r.input()) : r.format();
    try {
      return switch (format) {
        case "parquet" -> spark.read().parquet(r.input());
        case "jsonl", "json" -> spark.read().json(r.input());
        case "csv" -> spark.read().option("header", "true").option("escape", "\"").csv(r.input());
        default -> throw new IllegalStateException(format);
      };
    } catch (RuntimeException e) {
      if (e instanceof Embed4jException) {
        throw e;
      }
      throw new Embed4jException.InvalidInput("cannot read " + r.input() + " as " + format + ": " + e.getMessage(), e);
    }
  }

  private static String detectFormat(SparkSession spark, String input) {
    String name = input;
    try {
      Path p = new Path(input);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(p) && fs.getFileStatus(p).isDirectory()) {
        for (FileStatus s : fs.listStatus(p)) {
          String n = s.getPath().getName();
          if (s.isFile() && !n.startsWith("_") && !n.startsWith(".")) {
            name = n;
            break;
          }
        }
      }
    } catch (IOException e) {
      throw new Embed4jException.InvalidInput("cannot read " + input + ": " + e.getMessage(), e);
    }
    String n = name.toLowerCase(Locale.ROOT).replaceAll("\\.(gz|bz2|zst|snappy|lz4)$", "");
    if (n.endsWith(".parquet")) {
      return "parquet";
    }
    if (n.endsWith(".jsonl") || n.endsWith(".json") || n.endsWith(".ndjson")) {
      return "jsonl";
    }
    if (n.endsWith(".csv")) {
      return "csv";
    }
    throw new Embed4jException.InvalidInput("cannot tell the format of " + input + " from its name; give --format parquet, jsonl or csv");
  }

  private static Column column(Dataset<Row> raw, String name, String option) {
    if (!Arrays.asList(raw.columns()).contains(name)) {
      throw new Embed4jException.InvalidInput(option + " " + name + ": no such column; the input has " + Arrays.toString(raw.columns()));
    }
    return raw.col(name);
  }

  EmbedRequest request() {
    String mode = longInput.toLowerCase(Locale.ROOT);
    if (!mode.equals("truncate") && !mode.equals("chunk")) {
      throw new Embed4jException.InvalidInput("unknown --long-input '" + longInput + "'; valid: truncate, chunk");
    }
    EmbedSpec spec = EmbedSpec.of(model).withPromptName(promptName).withPrompt(prompt).withDimensions(dimensions)
        .withNormalize(noNormalize ? Boolean.FALSE : null).withChunkLongInput(mode.equals("chunk"))
        .withBatching(batchTokens, maxBatch).withBlockSize(blockSize).withThreads(threads).withGraphOptimization(graphOptimization);
    return new EmbedRequest(input, format, idColumn, textColumn, textExpr, output, partitions, skipExisting, overwrite, spec);
  }

  @Override
  public Integer call() {
    EmbedRequest request = request();
    SparkSession.Builder builder = SparkSession.builder().appName("embed4j-spark");
    if (master != null) {
      builder.master(master);
    } else if (System.getProperty("spark.master") == null) {
      builder.master("local[*]");
    }
    SparkSession spark = builder.getOrCreate();
    try {
      JobReport report = run(spark, request);
      System.err.println("embed4j-spark: " + report.summary());
      return 0;
    } finally {
      spark.stop();
    }
  }

  /** The spark-submit entry point. Exit code 2 with one line for a user mistake. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  static int execute(String... args) {
    CommandLine cli = new CommandLine(new EmbedJob());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      Throwable cause = userError(e);
      if (cause != null) {
        commandLine.getErr().println("embed4j-spark: " + cause.getMessage());
        return 2;
      }
      commandLine.getErr().println("embed4j-spark: internal error: " + e);
      e.printStackTrace(commandLine.getErr());
      return 1;
    });
    return cli.execute(args);
  }

  // A user mistake may reach the driver wrapped in Spark's task failure; find it.
  private static Throwable userError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof Embed4jException || t instanceof IllegalArgumentException) {
        return t;
      }
    }
    return null;
  }
}

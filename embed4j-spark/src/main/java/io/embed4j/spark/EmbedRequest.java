package io.embed4j.spark;

import io.embed4j.Embed4jException;
import java.util.Locale;
import java.util.Set;

/**
 * One run of {@link EmbedJob}: where the texts are, which columns hold ids and texts, where the
 * vectors go and which model makes them.
 *
 * @param input a file, directory or glob Spark can read
 * @param format parquet, jsonl (also json), csv, or auto (from the file extension)
 * @param idColumn the column with each text's id (any type; written as a string)
 * @param textColumn the column with the text, used when textExpr is null
 * @param textExpr a Spark SQL expression that makes the text, e.g. {@code concat_ws(' ', title, text)}; or null
 * @param output the Parquet output directory, or a {@code solr://} collection address
 * @param partitions buckets the ids are hashed into, one task and one file each; 0 picks one
 *     from the input's size (at least the cluster's default parallelism)
 * @param skipExisting resume: leave committed buckets as they are and do only the rest
 * @param overwrite replace an existing embed4j output directory
 * @param spec the model and how to encode
 */
public record EmbedRequest(String input, String format, String idColumn, String textColumn, String textExpr,
    String output, int partitions, boolean skipExisting, boolean overwrite, EmbedSpec spec) {

  static final Set<String> FORMATS = Set.of("auto", "parquet", "jsonl", "json", "csv");

  public EmbedRequest {
    if (input == null || input.isBlank()) {
      throw new Embed4jException.InvalidInput("--input is required: a Parquet, JSONL or CSV file or directory");
    }
    if (output == null || output.isBlank()) {
      throw new Embed4jException.InvalidInput("--output is required: the directory the Parquet vectors go to, or a solr:// collection");
    }
    format = format == null ? "auto" : format.toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(format)) {
      throw new Embed4jException.InvalidInput("unknown --format '" + format + "'; valid: auto, parquet, jsonl, csv");
    }
    if (partitions < 0) {
      throw new Embed4jException.InvalidInput("--partitions must be >= 0 (0 = from the input's size), got " + partitions);
    }
    if (skipExisting && overwrite) {
      throw new Embed4jException.InvalidInput("--skip-existing and --overwrite contradict each other: resume, or start again, not both");
    }
    idColumn = idColumn == null ? "id" : idColumn;
    textColumn = textColumn == null ? "text" : textColumn;
  }

  /** Texts from {@code input} (format from its extension), ids in "id", texts in "text", vectors to {@code output}. */
  public static EmbedRequest of(String input, String output, EmbedSpec spec) {
    return new EmbedRequest(input, "auto", "id", "text", null, output, 0, false, false, spec);
  }

  public EmbedRequest withColumns(String id, String text) {
    return new EmbedRequest(input, format, id, text, textExpr, output, partitions, skipExisting, overwrite, spec);
  }

  public EmbedRequest withTextExpr(String expr) {
    return new EmbedRequest(input, format, idColumn, textColumn, expr, output, partitions, skipExisting, overwrite, spec);
  }

  public EmbedRequest withFormat(String f) {
    return new EmbedRequest(input, f, idColumn, textColumn, textExpr, output, partitions, skipExisting, overwrite, spec);
  }

  public EmbedRequest withPartitions(int n) {
    return new EmbedRequest(input, format, idColumn, textColumn, textExpr, output, n, skipExisting, overwrite, spec);
  }

  public EmbedRequest withSkipExisting(boolean on) {
    return new EmbedRequest(input, format, idColumn, textColumn, textExpr, output, partitions, on, overwrite, spec);
  }

  public EmbedRequest withOverwrite(boolean on) {
    return new EmbedRequest(input, format, idColumn, textColumn, textExpr, output, partitions, skipExisting, on, spec);
  }

  /** What the manifest records as the text: the expression, or the column. */
  String textDescription() {
    return textExpr != null ? textExpr : textColumn;
  }
}

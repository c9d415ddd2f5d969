package io.embed4j.eval.report;

import io.embed4j.encode.Precision;
import io.embed4j.eval.EvalResult;
import io.embed4j.eval.VectorVariant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Markdown reports with a PNG chart beside them ({@code report.md} → {@code report.png}): a sweep of
 * one model over dimensions and precisions, or a comparison of models on one data set.
 */
public final class Reports {
  private Reports() {}

  /** The chart's path for a report path: same name, {@code .png}. */
  public static Path chartPath(Path markdown) {
    String name = markdown.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return markdown.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".png");
  }

  /** One model, every variant: a table and score against dimensions (one line per precision). */
  public static void sweep(EvalResult result, Path markdown) throws IOException {
    Path png = chartPath(markdown);
    String metric = mainMetricName(result.task());
    StringBuilder md = new StringBuilder();
    md.append("# ").append(result.model()).append(" on ").append(result.data()).append(": dimensions and precision\n\n");
    md.append(String.format(Locale.ROOT, "Task: %s. Main score: %s. One encoding pass; every row is derived from it "
        + "(Matryoshka truncation + re-normalization; int8 scored on integer values, binary by hamming distance).%n%n", result.task(), metric));
    md.append(infoLine(result)).append("\n\n");
    md.append("| dimensions | precision | bytes/vector | ").append(metric).append(" | vs. first row |\n");
    md.append("|---:|---|---:|---:|---:|\n");
    double base = result.mainScore();
    for (var e : result.scores().entrySet()) {
      VectorVariant v = e.getKey();
      double s = e.getValue().get("main_score");
      md.append(String.format(Locale.ROOT, "| %d | %s | %d | %.4f | %+.2f%% |%n", v.dimensions(), v.precision().configName(),
          v.bytesPerVector(), s, base == 0 ? 0 : 100 * (s - base) / base));
    }
    md.append("\n![").append(metric).append(" against dimensions and precision](").append(png.getFileName()).append(")\n");

    Map<Precision, List<double[]>> byPrecision = new LinkedHashMap<>();
    java.util.Set<Integer> dims = new java.util.TreeSet<>();
    for (var e : result.scores().entrySet()) {
      byPrecision.computeIfAbsent(e.getKey().precision(), p -> new ArrayList<>())
          .add(new double[] {e.getKey().dimensions(), e.getValue().get("main_score")});
      dims.add(e.getKey().dimensions());
    }
    String title = result.model() + " on " + result.data();
    java.awt.image.BufferedImage chart;
    if (dims.size() > 1) {
      List<Charts.Series> series = new ArrayList<>();
      for (var e : byPrecision.entrySet()) {
        List<double[]> pts = new ArrayList<>(e.getValue());
        pts.sort((a, b) -> Double.compare(a[0], b[0]));
        series.add(new Charts.Series(e.getKey().configName(), pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray()));
      }
      chart = Charts.lines(title, "dimensions", metric, series);
    } else {
      List<String> labels = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      double[] values = new double[result.scores().size()];
      int i = 0;
      for (var e : result.scores().entrySet()) {
        labels.add(e.getKey().precision().configName());
        notes.add(e.getKey().bytesPerVector() + " B/vector");
        values[i++] = e.getValue().get("main_score");
      }
      chart = Charts.bars(title + " (" + dims.iterator().next() + "d)", metric, labels, values, notes);
    }
    Charts.writePng(chart, png);
    write(markdown, md.toString());
  }

  /** Several models on one data set: score, encoding throughput and vector size, with a bar chart. */
  public static void compare(List<EvalResult> results, Path markdown) throws IOException {
    if (results.isEmpty()) {
      throw new IllegalArgumentException("nothing to compare");
    }
    Path png = chartPath(markdown);
    String metric = mainMetricName(results.get(0).task());
    String data = results.get(0).data();
    String rateKey = results.get(0).task().equals("retrieval") ? "corpus_texts_per_second" : "texts_per_second";
    StringBuilder md = new StringBuilder();
    md.append("# Models on ").append(data).append("\n\n");
    md.append("Task: ").append(results.get(0).task()).append(". Main score: ").append(metric)
        .append(". Throughput is the model's encoding rate on this data set's texts (")
        .append(rateKey.equals("texts_per_second") ? "all sentences" : "the corpus").append(").\n\n");
    md.append("| model | ").append(metric).append(" | texts/s | dimensions | bytes/vector |\n|---|---:|---:|---:|---:|\n");
    List<String> labels = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    double[] values = new double[results.size()];
    for (int i = 0; i < results.size(); i++) {
      EvalResult r = results.get(i);
      VectorVariant v = r.first();
      double rate = r.info().getOrDefault(rateKey, Double.NaN);
      md.append(String.format(Locale.ROOT, "| %s | %.4f | %.1f | %d | %d |%n", r.model(), r.mainScore(), rate, v.dimensions(), v.bytesPerVector()));
      labels.add(r.model());
      notes.add(String.format(Locale.ROOT, "%.0f texts/s, %d B", rate, v.bytesPerVector()));
      values[i] = r.mainScore();
    }
    md.append("\n![").append(metric).append(" by model](").append(png.getFileName()).append(")\n");
    Charts.writePng(Charts.bars("Models on " + data, metric, labels, values, notes), png);
    write(markdown, md.toString());
  }

  static String mainMetricName(String task) {
    return task.equals("retrieval") ? "nDCG@10" : "cosine Spearman";
  }

  private static String infoLine(EvalResult r) {
    Map<String, Double> i = r.info();
    if (r.task().equals("retrieval")) {
      return String.format(Locale.ROOT, "%d documents, %d queries (%d with a relevant document). Corpus encoded at %.1f texts/s%s.",
          i.get("corpus_size").longValue(), i.get("queries").longValue(), i.get("judged_queries").longValue(),
          i.get("corpus_texts_per_second"), i.get("corpus_cache_hit") > 0 ? " (read from the cache this run)" : "");
    }
    return String.format(Locale.ROOT, "%d pairs, %d distinct sentences, encoded at %.1f texts/s%s.",
        i.get("pairs").longValue(), i.get("sentences").longValue(), i.get("texts_per_second"),
        i.get("cache_hit") > 0 ? " (read from the cache this run)" : "");
  }

  private static void write(Path file, String text) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
    try {
      Files.writeString(tmp, text);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}

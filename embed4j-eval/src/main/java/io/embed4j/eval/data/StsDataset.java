package io.embed4j.eval.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.Embed4jException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Sentence pairs with gold similarity scores, read from one of three formats, told apart by content:
 * <ul>
 *   <li>{@link Format#STS_BENCHMARK}: no header, tab-separated {@code genre file year id score
 *       sentence1 sentence2}; extra trailing fields (source attributions) are ignored. Split on tabs
 *       only: sentences hold quote characters, so a CSV parser would mangle them.
 *   <li>{@link Format#SICK}: a tab-separated header naming {@code sentence_A}, {@code sentence_B} and
 *       {@code relatedness_score} (other columns, e.g. {@code pair_ID}, are ignored).
 *   <li>{@link Format#JSONL}: one object a line with {@code sentence1}, {@code sentence2}, {@code score}.
 * </ul>
 *
 * @param name file name, for reports
 * @param format the detected format
 * @param sentences1 first sentence of each pair
 * @param sentences2 second sentence of each pair
 * @param scores gold scores, on the file's own scale (correlations do not care)
 */
public record StsDataset(String name, Format format, List<String> sentences1, List<String> sentences2, double[] scores) {
  /** Python's json module writes NaN and Infinity; accept them as it does. */
  private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
      .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  /** The file layouts {@link #load} recognises. */
  public enum Format { STS_BENCHMARK, SICK, JSONL }

  public StsDataset {
    if (sentences1.size() != sentences2.size() || sentences1.size() != scores.length) {
      throw new IllegalArgumentException("sentences1, sentences2 and scores differ in length");
    }
    sentences1 = List.copyOf(sentences1);
    sentences2 = List.copyOf(sentences2);
    scores = scores.clone();
  }

  public int size() {
    return scores.length;
  }

  /** Reads {@code file}, detecting its format from the first non-blank line. */
  public static StsDataset load(Path file) {
    List<String> lines = TextLines.read(file);
    int first = 0;
    while (first < lines.size() && lines.get(first).isBlank()) {
      first++;
    }
    if (first == lines.size()) {
      throw new Embed4jException.InvalidInput(file + ": empty file, no sentence pairs");
    }
    String head = lines.get(first);
    String name = file.getFileName().toString();
    StsDataset d;
    if (head.stripLeading().startsWith("{")) {
      d = readJsonl(file, name, lines);
    } else if (Arrays.asList(head.split("\t", -1)).contains("sentence_A")) {
      d = readSick(file, name, lines, first);
    } else {
      d = readStsBenchmark(file, name, lines);
    }
    if (d.size() < 2) {
      throw new Embed4jException.InvalidInput(file + ": " + d.size() + " sentence pair(s); correlations need at least 2");
    }
    return d;
  }

  private static StsDataset readStsBenchmark(Path file, String name, List<String> lines) {
    List<String> s1 = new ArrayList<>();
    List<String> s2 = new ArrayList<>();
    List<Double> gold = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length < 7) {
        throw new Embed4jException.InvalidInput(file + ":" + (i + 1) + ": " + f.length + " tab-separated field(s); expected the STS Benchmark layout"
            + " (genre, file, year, id, score, sentence1, sentence2), a SICK header (pair_ID sentence_A sentence_B relatedness_score ...)"
            + " or JSONL ({\"sentence1\", \"sentence2\", \"score\"})");
      }
      gold.add(number(file, i + 1, "score", f[4]));
      s1.add(f[5]);
      s2.add(f[6]);
    }
    return new StsDataset(name, Format.STS_BENCHMARK, s1, s2, toArray(gold));
  }

  private static StsDataset readSick(Path file, String name, List<String> lines, int headerLine) {
    List<String> header = Arrays.asList(lines.get(headerLine).split("\t", -1));
    int a = header.indexOf("sentence_A");
    int b = header.indexOf("sentence_B");
    int score = header.indexOf("relatedness_score");
    if (a < 0 || b < 0 || score < 0) {
      throw new Embed4jException.InvalidInput(file + ":" + (headerLine + 1) + ": SICK header needs sentence_A, sentence_B and relatedness_score; found " + header);
    }
    int needed = Math.max(a, Math.max(b, score)) + 1;
    List<String> s1 = new ArrayList<>();
    List<String> s2 = new ArrayList<>();
    List<Double> gold = new ArrayList<>();
    for (int i = headerLine + 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length < needed) {
        throw new Embed4jException.InvalidInput(file + ":" + (i + 1) + ": " + f.length + " tab-separated field(s); the header has " + header.size());
      }
      gold.add(number(file, i + 1, "relatedness_score", f[score]));
      s1.add(f[a]);
      s2.add(f[b]);
    }
    return new StsDataset(name, Format.SICK, s1, s2, toArray(gold));
  }

  private static StsDataset readJsonl(Path file, String name, List<String> lines) {
    List<String> s1 = new ArrayList<>();
    List<String> s2 = new ArrayList<>();
    List<Double> gold = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      JsonNode o;
      try {
        o = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        throw new Embed4jException.InvalidInput(file + ":" + (i + 1) + ": invalid JSON: " + e.getOriginalMessage());
      }
      if (o == null || !o.isObject()) {
        throw new Embed4jException.InvalidInput(file + ":" + (i + 1) + ": expected a JSON object");
      }
      s1.add(text(file, i + 1, o, "sentence1"));
      s2.add(text(file, i + 1, o, "sentence2"));
      JsonNode s = o.get("score");
      if (s == null || !(s.isNumber() || s.isTextual())) {
        throw new Embed4jException.InvalidInput(file + ":" + (i + 1) + ": missing numeric field 'score'");
      }
      gold.add(s.isNumber() ? s.asDouble() : number(file, i + 1, "score", s.asText()));
    }
    return new StsDataset(name, Format.JSONL, s1, s2, toArray(gold));
  }

  private static String text(Path file, int line, JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new Embed4jException.InvalidInput(file + ":" + line + ": missing string field '" + field + "'");
    }
    return v.asText();
  }

  private static double number(Path file, int line, String field, String value) {
    try {
      double d = Double.parseDouble(value.strip());
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new Embed4jException.InvalidInput(String.format(Locale.ROOT, "%s:%d: %s '%s' is not a number", file, line, field, value));
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}

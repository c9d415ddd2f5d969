package io.embed4j.eval.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.Embed4jException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A retrieval data set in BEIR format, read for one split.
 *
 * <pre>
 * DIR/corpus.jsonl        {"_id", "title", "text"}   one document a line
 * DIR/queries.jsonl       {"_id", "text"}            one query a line
 * DIR/qrels/SPLIT.tsv     query-id TAB corpus-id TAB score, after a header line; CRLF tolerated
 * </pre>
 *
 * Queries are those the split's qrels name, in qrels order, as BEIR and MTEB select them. Graded
 * scores are kept; a score of 0 is an explicit "not relevant" judgement.
 *
 * @param name directory name, for reports
 * @param docIds corpus ids in file order
 * @param docTexts what gets embedded for each document: title and text joined by a space, stripped,
 *     when the record has a title field (MTEB's rule), else the stripped text
 * @param queryIds ids of the split's queries
 * @param queryTexts their texts, as written
 * @param qrels query id → (corpus id → graded score), in file order
 */
public record BeirDataset(
    String name,
    List<String> docIds,
    List<String> docTexts,
    List<String> queryIds,
    List<String> queryTexts,
    Map<String, Map<String, Integer>> qrels) {

  /** Python's json module writes NaN and Infinity; accept them as it does. */
  private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
      .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  public BeirDataset {
    if (docIds.size() != docTexts.size() || queryIds.size() != queryTexts.size()) {
      throw new IllegalArgumentException("ids and texts differ in length");
    }
    docIds = List.copyOf(docIds);
    docTexts = List.copyOf(docTexts);
    queryIds = List.copyOf(queryIds);
    queryTexts = List.copyOf(queryTexts);
  }

  /** Reads {@code dir} for {@code split} ("test", "dev", "train"...). */
  public static BeirDataset load(Path dir, String split) {
    if (!Files.isDirectory(dir)) {
      throw new Embed4jException.InvalidInput(dir + ": not a directory (expected BEIR layout: corpus.jsonl, queries.jsonl, qrels/" + split + ".tsv)");
    }
    Path qrelsFile = dir.resolve("qrels").resolve(split + ".tsv");
    if (!Files.isRegularFile(qrelsFile)) {
      throw new Embed4jException.InvalidInput(qrelsFile + ": no such file (is --split right? available: " + splits(dir) + ")");
    }
    Map<String, Map<String, Integer>> qrels = readQrels(qrelsFile);

    List<String> docIds = new ArrayList<>();
    List<String> docTexts = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    Path corpusFile = dir.resolve("corpus.jsonl");
    List<String> lines = TextLines.read(corpusFile);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonNode doc = parse(corpusFile, i + 1, lines.get(i));
      String id = requiredText(corpusFile, i + 1, doc, "_id");
      String text = requiredText(corpusFile, i + 1, doc, "text");
      JsonNode title = doc.get("title");
      Integer previous = seen.put(id, i + 1);
      if (previous != null) {
        throw new Embed4jException.InvalidInput(corpusFile + ":" + (i + 1) + ": duplicate _id '" + id + "' (first on line " + previous + ")");
      }
      docIds.add(id);
      docTexts.add(documentText(title == null || title.isNull() ? null : title.asText(), text));
    }
    if (docIds.isEmpty()) {
      throw new Embed4jException.InvalidInput(corpusFile + ": no documents");
    }

    Path queriesFile = dir.resolve("queries.jsonl");
    Map<String, String> allQueries = new HashMap<>();
    lines = TextLines.read(queriesFile);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonNode q = parse(queriesFile, i + 1, lines.get(i));
      allQueries.put(requiredText(queriesFile, i + 1, q, "_id"), requiredText(queriesFile, i + 1, q, "text"));
    }
    List<String> queryIds = new ArrayList<>();
    List<String> queryTexts = new ArrayList<>();
    for (String qid : qrels.keySet()) {
      String text = allQueries.get(qid);
      if (text == null) {
        throw new Embed4jException.InvalidInput(qrelsFile + ": query-id '" + qid + "' is not in " + queriesFile);
      }
      queryIds.add(qid);
      queryTexts.add(text);
    }
    String name = dir.toAbsolutePath().normalize().getFileName() == null ? dir.toString() : dir.toAbsolutePath().normalize().getFileName().toString();
    return new BeirDataset(name, docIds, docTexts, queryIds, queryTexts, qrels);
  }

  /** MTEB's document text: {@code (title + " " + text).strip()} when there is a title field, else {@code text.strip()}. */
  public static String documentText(String title, String text) {
    return title == null ? text.strip() : (title + " " + text).strip();
  }

  /**
   * Reads a qrels TSV: a header line ({@code query-id corpus-id score}), then one judgement a line.
   * Scores must be integers (as BEIR's loader reads them); a repeated pair keeps the last score.
   */
  public static Map<String, Map<String, Integer>> readQrels(Path file) {
    List<String> lines = TextLines.read(file);
    Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (i == 0 && f.length >= 3 && !isInteger(f[2].strip())) {
        continue; // header
      }
      if (f.length < 3) {
        throw new Embed4jException.InvalidInput(file + ":" + (i + 1) + ": expected 3 tab-separated fields (query-id, corpus-id, score), found " + f.length);
      }
      String score = f[2].strip();
      if (!isInteger(score)) {
        throw new Embed4jException.InvalidInput(file + ":" + (i + 1) + ": score '" + score + "' is not an integer");
      }
      qrels.computeIfAbsent(f[0].strip(), k -> new LinkedHashMap<>()).put(f[1].strip(), Integer.parseInt(score));
    }
    if (qrels.isEmpty()) {
      throw new Embed4jException.InvalidInput(file + ": no judgements");
    }
    return qrels;
  }

  /** Number of queries with at least one judgement above 0: the ones metrics average over. */
  public int judgedQueries() {
    int n = 0;
    for (Map<String, Integer> j : qrels.values()) {
      if (j.values().stream().anyMatch(s -> s > 0)) {
        n++;
      }
    }
    return n;
  }

  private static boolean isInteger(String s) {
    if (s.isEmpty()) {
      return false;
    }
    int start = s.charAt(0) == '-' || s.charAt(0) == '+' ? 1 : 0;
    if (start == s.length() || s.length() - start > 9) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static JsonNode parse(Path file, int line, String text) {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || !node.isObject()) {
        throw new Embed4jException.InvalidInput(file + ":" + line + ": expected a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new Embed4jException.InvalidInput(file + ":" + line + ": invalid JSON: " + e.getOriginalMessage());
    }
  }

  private static String requiredText(Path file, int line, JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new Embed4jException.InvalidInput(file + ":" + line + ": missing field '" + field + "'");
    }
    if (!v.isValueNode()) {
      throw new Embed4jException.InvalidInput(file + ":" + line + ": field '" + field + "' must be a string");
    }
    return v.asText();
  }

  private static String splits(Path dir) {
    try (var s = Files.list(dir.resolve("qrels"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tsv")).map(n -> n.substring(0, n.length() - 4)).sorted().toList().toString();
    } catch (java.io.IOException e) {
      return "none (no qrels directory)";
    }
  }
}

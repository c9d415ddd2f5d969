package io.embed4j.train.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.embed4j.Embed4jException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A BEIR data set split: {@code corpus.jsonl} ({@code _id, title, text}), {@code queries.jsonl}
 * ({@code _id, text}) and {@code qrels/SPLIT.tsv} (header, then query-id, corpus-id, score). Only the
 * queries the split judges are kept. A document's text is {@code (title + " " + text).strip()}
 * (MTEB's rule), or the text alone when there is no title field.
 *
 * @param queries query id to text, judged queries of the split only, in qrels order
 * @param corpus document id to text, every document
 * @param qrels query id to (document id to graded relevance); rows with relevance 0 are kept
 */
public record BeirData(Path dir, String split, Map<String, String> queries, Map<String, String> corpus,
    Map<String, Map<String, Integer>> qrels) {
  /** Whether the path looks like a BEIR data set directory. */
  public static boolean isBeir(Path dir) {
    return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve("corpus.jsonl")) && Files.isRegularFile(dir.resolve("queries.jsonl"));
  }

  public static BeirData read(Path dir, String split) {
    if (!isBeir(dir)) {
      throw new Embed4jException.InvalidInput(dir + " is not a BEIR data set (needs corpus.jsonl, queries.jsonl and qrels/)");
    }
    Path qrelsFile = dir.resolve("qrels").resolve(split + ".tsv");
    if (!Files.isRegularFile(qrelsFile)) {
      throw new Embed4jException.InvalidInput(dir + " has no split '" + split + "' (no " + qrelsFile + ")");
    }
    Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
    try (BufferedReader r = Files.newBufferedReader(qrelsFile, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        line = line.strip();
        if (line.isEmpty() || (n == 1 && line.startsWith("query-id"))) {
          continue;
        }
        String[] f = line.split("\t");
        if (f.length < 3) {
          throw new Embed4jException.InvalidInput(qrelsFile + " line " + n + ": expected query-id<TAB>corpus-id<TAB>score");
        }
        try {
          qrels.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], Integer.parseInt(f[2].strip()));
        } catch (NumberFormatException e) {
          throw new Embed4jException.InvalidInput(qrelsFile + " line " + n + ": score '" + f[2] + "' is not an integer");
        }
      }
    } catch (IOException e) {
      throw new Embed4jException.InvalidInput("cannot read " + qrelsFile + ": " + e.getMessage(), e);
    }
    Map<String, String> allQueries = new LinkedHashMap<>();
    readJsonl(dir.resolve("queries.jsonl"), (id, node) -> allQueries.put(id, node.path("text").asText("")));
    Map<String, String> queries = new LinkedHashMap<>();
    for (String q : qrels.keySet()) {
      String text = allQueries.get(q);
      if (text == null) {
        throw new Embed4jException.InvalidInput(qrelsFile + ": query '" + q + "' is not in queries.jsonl");
      }
      queries.put(q, text);
    }
    Map<String, String> corpus = new LinkedHashMap<>();
    readJsonl(dir.resolve("corpus.jsonl"), (id, node) -> {
      String text = node.path("text").asText("");
      JsonNode title = node.get("title");
      corpus.put(id, title == null || title.isNull() ? text.strip() : (title.asText() + " " + text).strip());
    });
    return new BeirData(dir, split, queries, corpus, qrels);
  }

  private static void readJsonl(Path file, java.util.function.BiConsumer<String, JsonNode> sink) {
    try (JsonLines lines = JsonLines.open(file)) {
      for (JsonNode node; (node = lines.next()) != null; ) {
        JsonNode id = node.get("_id");
        if (id == null) {
          throw new Embed4jException.InvalidInput(file + " line " + lines.lineNumber() + ": no \"_id\" field");
        }
        sink.accept(id.asText(), node);
      }
    }
  }

  /** (query, relevant document) pairs: one per qrels row with relevance > 0. */
  public TrainingSet pairs() {
    java.util.List<TrainingExample> out = new java.util.ArrayList<>();
    for (Map.Entry<String, Map<String, Integer>> q : qrels.entrySet()) {
      for (Map.Entry<String, Integer> d : q.getValue().entrySet()) {
        String doc = corpus.get(d.getKey());
        if (d.getValue() > 0 && doc != null) {
          out.add(new TrainingExample(java.util.List.of(queries.get(q.getKey()), doc)));
        }
      }
    }
    return new TrainingSet(dir + " (" + split + ")", java.util.List.of("anchor", "positive"), out, false);
  }
}

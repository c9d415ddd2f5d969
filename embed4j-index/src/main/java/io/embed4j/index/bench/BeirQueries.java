package io.embed4j.index.bench;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.embed4j.Embed4jException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queries and judgements of a BEIR split: queries named in {@code qrels/SPLIT.tsv}, in qrels
 * order, with graded relevance (0 = judged not relevant). The corpus side is indexed by
 * {@link io.embed4j.index.job.BeirSourceSet}.
 *
 * @param ids query ids
 * @param texts query texts
 * @param qrels query id → (doc id → grade)
 */
public record BeirQueries(List<String> ids, List<String> texts, Map<String, Map<String, Integer>> qrels) {
  private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  public static BeirQueries load(Path dir, String split) {
    Path qrelsFile = dir.resolve("qrels").resolve(split + ".tsv");
    Path queriesFile = dir.resolve("queries.jsonl");
    if (!Files.isRegularFile(qrelsFile) || !Files.isRegularFile(queriesFile)) {
      throw new Embed4jException.InvalidInput(dir + ": expected BEIR layout with queries.jsonl and qrels/" + split + ".tsv");
    }
    try {
      Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
      List<String> lines = Files.readAllLines(qrelsFile, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || (i == 0 && line.startsWith("query-id"))) {
          continue;
        }
        String[] f = line.split("\t");
        if (f.length < 3) {
          throw new Embed4jException.InvalidInput(qrelsFile + ":" + (i + 1) + ": expected query-id<TAB>corpus-id<TAB>score");
        }
        qrels.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], Integer.parseInt(f[2].strip()));
      }
      Map<String, String> texts = new HashMap<>();
      for (String line : Files.readAllLines(queriesFile, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          JsonNode n = JSON.readTree(line);
          texts.put(n.get("_id").asText(), n.get("text").asText());
        }
      }
      List<String> ids = new ArrayList<>();
      List<String> qs = new ArrayList<>();
      for (String id : qrels.keySet()) {
        String t = texts.get(id);
        if (t == null) {
          throw new Embed4jException.InvalidInput(qrelsFile + ": query " + id + " is not in " + queriesFile);
        }
        ids.add(id);
        qs.add(t);
      }
      return new BeirQueries(ids, qs, qrels);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int size() {
    return ids.size();
  }
}

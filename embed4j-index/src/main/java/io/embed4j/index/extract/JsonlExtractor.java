package io.embed4j.index.extract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON Lines: one record per line. The text comes from the first of {@code text}, {@code content},
 * {@code contents} or {@code body}; {@code title} becomes the record's heading; {@code _id} or
 * {@code id} names the record (else its line number); other scalar fields, and those of a nested
 * {@code metadata} object, become metadata that {@code --filter} can match. A bad line is skipped
 * with a note. BEIR corpora are this format.
 */
public final class JsonlExtractor implements Extractor {
  static final List<String> TEXT_FIELDS = List.of("text", "content", "contents", "body");
  private static final int MAX_META_VALUE = 256;
  private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  @Override
  public String format() {
    return "jsonl";
  }

  @Override
  public Extracted extract(String fileName, byte[] content) throws Unreadable {
    String text = TextDecoding.utf8(fileName, content);
    List<Block> blocks = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      try {
        blocks.addAll(record(line, lineNo));
      } catch (Unreadable e) {
        notes.add("line " + lineNo + ": " + e.getMessage());
      }
    }
    return new Extracted(format(), blocks, Map.of(), notes);
  }

  /** The blocks of one JSON record on line {@code lineNo}: an optional title heading, then its text. */
  public static List<Block> record(String line, int lineNo) throws Unreadable {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new Unreadable("invalid JSON (" + e.getOriginalMessage() + ")");
    }
    if (node == null || !node.isObject()) {
      throw new Unreadable("not a JSON object");
    }
    String body = null;
    String bodyField = null;
    for (String f : TEXT_FIELDS) {
      if (node.hasNonNull(f) && node.get(f).isValueNode()) {
        body = node.get(f).asText();
        bodyField = f;
        break;
      }
    }
    if (body == null) {
      throw new Unreadable("no text field (one of " + String.join(", ", TEXT_FIELDS) + ")");
    }
    String id = node.hasNonNull("_id") ? node.get("_id").asText() : node.hasNonNull("id") ? node.get("id").asText() : "line-" + lineNo;
    String title = node.hasNonNull("title") ? node.get("title").asText().strip() : "";
    Map<String, String> meta = new LinkedHashMap<>();
    addScalars(node, meta, List.of("_id", "id", "title", bodyField, "metadata"));
    if (node.get("metadata") instanceof JsonNode m && m.isObject()) {
      addScalars(m, meta, List.of());
    }
    List<Block> out = new ArrayList<>(2);
    if (!title.isEmpty()) {
      out.add(Block.derived(Block.Kind.HEADING, 1, title, lineNo, lineNo).withRecord(id, meta));
    }
    if (!body.isBlank()) {
      out.add(Block.derived(Block.Kind.TEXT, 0, body.strip(), lineNo, lineNo).withRecord(id, meta));
    }
    if (out.isEmpty()) {
      throw new Unreadable("empty record '" + id + "'");
    }
    return out;
  }

  private static void addScalars(JsonNode node, Map<String, String> meta, List<String> skip) {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (skip.contains(e.getKey()) || !e.getValue().isValueNode() || e.getValue().isNull()) {
        continue;
      }
      String v = e.getValue().asText();
      meta.put(e.getKey(), v.length() > MAX_META_VALUE ? v.substring(0, MAX_META_VALUE) : v);
    }
  }
}

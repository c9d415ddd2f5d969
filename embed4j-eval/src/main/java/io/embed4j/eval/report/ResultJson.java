package io.embed4j.eval.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.embed4j.eval.EvalResult;
import io.embed4j.eval.VectorVariant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Evaluation results as JSON, with MTEB's metric names (fractions, not percentages):
 *
 * <pre>{@code
 * {"task": "retrieval", "model": "...", "data": "scifact", ...context...,
 *  "main_score": 0.645, "scores": {"ndcg_at_10": 0.645, "map_at_100": ..., "main_score": ...},
 *  "info": {"corpus_texts_per_second": ..., "encode_corpus_seconds": ..., ...},
 *  "variants": [{"dimensions": 384, "precision": "float32", "bytes_per_vector": 1536, "scores": {...}}, ...]}
 * }</pre>
 *
 * {@code scores} is the first variant's; {@code variants} lists them all when there is more than one.
 * Undefined values (a correlation over constant scores) are written as null.
 */
public final class ResultJson {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultJson() {}

  /** One result; {@code context} (split, prompts, data path...) goes in after the names. */
  public static ObjectNode of(EvalResult r, Map<String, ?> context) {
    ObjectNode o = JSON.createObjectNode();
    o.put("task", r.task());
    o.put("model", r.model());
    o.put("data", r.data());
    context.forEach((k, v) -> o.set(k, JSON.valueToTree(v)));
    put(o, "main_score", r.mainScore());
    o.set("scores", numbers(r.scores().get(r.first())));
    o.set("info", numbers(r.info()));
    if (r.scores().size() > 1) {
      var variants = o.putArray("variants");
      for (var e : r.scores().entrySet()) {
        VectorVariant v = e.getKey();
        ObjectNode vo = variants.addObject();
        vo.put("dimensions", v.dimensions());
        vo.put("precision", v.precision().configName());
        vo.put("bytes_per_vector", v.bytesPerVector());
        vo.set("scores", numbers(e.getValue()));
      }
    }
    return o;
  }

  /** Several results (a comparison) as one array. */
  public static void write(Path file, List<ObjectNode> results) throws IOException {
    write(file, results.size() == 1 ? results.get(0) : JSON.createArrayNode().addAll(results));
  }

  public static void write(Path file, com.fasterxml.jackson.databind.JsonNode node) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
    try {
      JSON.writeValue(tmp.toFile(), node);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static ObjectNode numbers(Map<String, Double> m) {
    ObjectNode o = JSON.createObjectNode();
    m.forEach((k, v) -> put(o, k, v));
    return o;
  }

  private static void put(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }
}

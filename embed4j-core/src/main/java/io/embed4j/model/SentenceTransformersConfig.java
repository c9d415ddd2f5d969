package io.embed4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.Embed4jException;
import io.embed4j.pooling.PoolingMode;
import io.embed4j.vector.SimilarityFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a model directory in sentence-transformers layout: modules.json (Transformer, Pooling,
 * Dense, Normalize), config_sentence_transformers.json, sentence_bert_config.json, the pooling
 * config, tokenizer.json and ONNX weights at onnx/model.onnx or model.onnx. Without modules.json,
 * the pipeline is Transformer then mean pooling, as sentence-transformers builds by default.
 */
public final class SentenceTransformersConfig {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> MODULE_TYPES = List.of("Transformer", "Pooling", "Dense", "Normalize");

  private SentenceTransformersConfig() {}

  public static ModelFiles read(Path dir, String name) {
    if (!Files.isDirectory(dir)) {
      throw new Embed4jException.ModelNotFound("model directory not found: " + dir);
    }
    Path transformerDir = dir;
    List<PoolingMode> pooling = List.of(PoolingMode.MEAN);
    boolean includePrompt = true;
    boolean normalize = false;
    List<Path> dense = new ArrayList<>();
    Path modulesFile = dir.resolve("modules.json");
    if (Files.exists(modulesFile)) {
      JsonNode modules = readJson(modulesFile);
      if (!modules.isArray()) {
        throw new Embed4jException.InvalidModel(modulesFile + ": expected a JSON array of modules");
      }
      boolean sawPooling = false;
      for (JsonNode module : modules) {
        String type = module.path("type").asText();
        String simple = type.substring(type.lastIndexOf('.') + 1);
        Path path = dir.resolve(module.path("path").asText(""));
        checkInside(dir, path, modulesFile);
        switch (simple) {
          case "Transformer" -> transformerDir = path;
          case "Pooling" -> {
            JsonNode pc = readJson(path.resolve("config.json"));
            List<PoolingMode> modes = new ArrayList<>();
            for (PoolingMode mode : PoolingMode.values()) {
              if (pc.path(mode.configKey()).asBoolean(false)) {
                modes.add(mode);
              }
            }
            if (modes.isEmpty()) {
              throw new Embed4jException.InvalidModel(path.resolve("config.json") + ": no pooling mode is enabled");
            }
            pooling = modes;
            includePrompt = pc.path("include_prompt").asBoolean(true);
            sawPooling = true;
          }
          case "Dense" -> dense.add(path);
          case "Normalize" -> normalize = true;
          default -> throw new Embed4jException.InvalidModel(modulesFile + ": module type '" + type
              + "' is not supported; supported types: " + MODULE_TYPES);
        }
      }
      if (!sawPooling) {
        throw new Embed4jException.InvalidModel(modulesFile + ": no Pooling module; embed4j needs one to make sentence embeddings");
      }
    }

    int maxSeqLength = 512;
    boolean lowerCase = false;
    Path sbert = transformerDir.resolve("sentence_bert_config.json");
    if (Files.exists(sbert)) {
      JsonNode s = readJson(sbert);
      maxSeqLength = s.path("max_seq_length").asInt(512);
      lowerCase = s.path("do_lower_case").asBoolean(false);
    } else if (Files.exists(transformerDir.resolve("config.json"))) {
      maxSeqLength = Math.min(512, readJson(transformerDir.resolve("config.json")).path("max_position_embeddings").asInt(512));
    }

    Map<String, String> prompts = new LinkedHashMap<>();
    String defaultPrompt = null;
    SimilarityFunction similarity = SimilarityFunction.COSINE;
    Path stConfig = dir.resolve("config_sentence_transformers.json");
    if (Files.exists(stConfig)) {
      JsonNode c = readJson(stConfig);
      for (Iterator<Map.Entry<String, JsonNode>> it = c.path("prompts").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        prompts.put(e.getKey(), e.getValue().asText());
      }
      if (c.hasNonNull("default_prompt_name")) {
        defaultPrompt = c.get("default_prompt_name").asText();
      }
      if (c.hasNonNull("similarity_fn_name")) {
        try {
          similarity = SimilarityFunction.fromName(c.get("similarity_fn_name").asText());
        } catch (IllegalArgumentException e) {
          throw new Embed4jException.InvalidModel(stConfig + ": " + e.getMessage());
        }
      }
    }
    String queryPrompt = firstPresent(prompts, "query", "search_query");
    String documentPrompt = firstPresent(prompts, "document", "passage", "search_document", "corpus");

    Path tokenizer = transformerDir.resolve("tokenizer.json");
    if (!Files.exists(tokenizer)) {
      tokenizer = dir.resolve("tokenizer.json");
    }
    if (!Files.exists(tokenizer)) {
      throw new Embed4jException.InvalidModel(dir + ": no tokenizer.json (embed4j needs the fast-tokenizer file)");
    }
    Path onnx = null;
    for (Path candidate : List.of(transformerDir.resolve("onnx/model.onnx"), transformerDir.resolve("model.onnx"),
        dir.resolve("onnx/model.onnx"), dir.resolve("model.onnx"))) {
      if (Files.exists(candidate)) {
        onnx = candidate;
        break;
      }
    }
    if (onnx == null) {
      throw new Embed4jException.InvalidModel(dir + ": no ONNX weights at onnx/model.onnx or model.onnx");
    }
    ModelConfig config;
    try {
      config = new ModelConfig(name, pooling, includePrompt, dense, normalize, maxSeqLength, lowerCase, prompts,
          queryPrompt, documentPrompt, defaultPrompt, similarity);
    } catch (IllegalArgumentException e) {
      throw new Embed4jException.InvalidModel(dir + ": " + e.getMessage());
    }
    return new ModelFiles(onnx, tokenizer, config, name);
  }

  private static String firstPresent(Map<String, String> prompts, String... names) {
    for (String n : names) {
      if (prompts.containsKey(n) && !prompts.get(n).isEmpty()) {
        return n;
      }
    }
    return null;
  }

  private static void checkInside(Path dir, Path path, Path file) {
    if (!path.toAbsolutePath().normalize().startsWith(dir.toAbsolutePath().normalize())) {
      throw new Embed4jException.InvalidModel(file + ": module path '" + path + "' points outside the model directory");
    }
  }

  static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(Files.readAllBytes(file));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new Embed4jException.InvalidModel("missing model file: " + file);
    } catch (IOException e) {
      throw new Embed4jException.InvalidModel("cannot parse " + file + ": " + e.getMessage(), e);
    }
  }
}

package io.embed4j.sparse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.Embed4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a sparse-encoder directory says: for queries and for documents, how texts become sparse
 * vectors. Three layouts are read:
 * <ul>
 *   <li>a masked-LM export: config.json, tokenizer.json and onnx/model.onnx with a {@code logits}
 *       [batch, tokens, vocabulary] output; SPLADE max pooling on both sides;
 *   <li>sentence-transformers' SparseEncoder: modules.json with {@code MLMTransformer} then
 *       {@code SpladePooling} (its config.json gives pooling_strategy and activation_function);
 *   <li>an inference-free model: modules.json with a {@code Router} whose router_config.json sends
 *       queries to a {@code SparseStaticEmbedding} (a weight per token, no network) and documents to
 *       MLMTransformer and SpladePooling.
 * </ul>
 *
 * @param name display name
 * @param query how queries are encoded
 * @param document how documents are encoded
 * @param prompts named prompts from config_sentence_transformers.json ({@code query}, {@code document})
 */
public record SparseModelConfig(String name, Route query, Route document, Map<String, String> prompts) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double UNSET_MAX_LENGTH = 1e20;
  private static final List<String> MODULE_TYPES = List.of("MLMTransformer", "SpladePooling", "Router", "SparseStaticEmbedding");

  public SparseModelConfig {
    prompts = Map.copyOf(prompts);
  }

  /** One side's way from text to sparse vector. */
  public sealed interface Route permits Splade, StaticWeights {
    Path tokenizer();

    /** Tokens per text at most, special tokens included. */
    int maxLength();
  }

  /** A masked-LM ONNX graph with a {@code logits} output, pooled by {@link SpladePooling}. */
  public record Splade(Path onnxModel, Path tokenizer, int maxLength, SpladePooling pooling) implements Route {}

  /**
   * A fixed weight per vocabulary token ({@code SparseStaticEmbedding}, e.g. IDF): a text's vector
   * holds the weight of each distinct token it has, special tokens left out.
   *
   * @param weights model.safetensors with a {@code weight} [vocabulary] tensor, or an idf.json of token to weight
   */
  public record StaticWeights(Path weights, Path tokenizer, int maxLength) implements Route {}

  /** Reads a sparse-encoder directory. */
  public static SparseModelConfig read(Path dir, String name) {
    if (!Files.isDirectory(dir)) {
      throw new Embed4jException.ModelNotFound("sparse encoder directory not found: " + dir);
    }
    Map<String, String> prompts = prompts(dir);
    Path modulesFile = dir.resolve("modules.json");
    if (!Files.exists(modulesFile)) {
      Route r = splade(dir, dir, SpladePooling.defaults());
      return new SparseModelConfig(name, r, r, prompts);
    }
    JsonNode modules = readJson(modulesFile);
    if (!modules.isArray() || modules.isEmpty()) {
      throw new Embed4jException.InvalidModel(modulesFile + ": expected a JSON array of modules");
    }
    List<String> types = new ArrayList<>();
    List<Path> paths = new ArrayList<>();
    for (JsonNode m : modules) {
      types.add(simpleType(m.path("type").asText(), modulesFile));
      paths.add(inside(dir, m.path("path").asText(""), modulesFile));
    }
    if (types.equals(List.of("Router"))) {
      return router(dir, paths.getFirst(), name, prompts);
    }
    Route r = route(dir, types, paths, modulesFile);
    return new SparseModelConfig(name, r, r, prompts);
  }

  private static SparseModelConfig router(Path dir, Path routerDir, String name, Map<String, String> prompts) {
    Path file = routerDir.resolve("router_config.json");
    JsonNode config = readJson(file);
    JsonNode structure = config.path("structure");
    JsonNode typeNames = config.path("types");
    Map<String, Route> routes = new LinkedHashMap<>();
    for (String side : List.of("query", "document")) {
      JsonNode keys = structure.path(side);
      if (!keys.isArray() || keys.isEmpty()) {
        throw new Embed4jException.InvalidModel(file + ": structure has no '" + side + "' route (routes: " + fieldNames(structure) + ")");
      }
      List<String> types = new ArrayList<>();
      List<Path> paths = new ArrayList<>();
      for (JsonNode key : keys) {
        String k = key.asText();
        types.add(simpleType(typeNames.path(k).asText(k), file));
        paths.add(inside(routerDir, k, file));
      }
      routes.put(side, route(dir, types, paths, file));
    }
    return new SparseModelConfig(name, routes.get("query"), routes.get("document"), prompts);
  }

  private static Route route(Path root, List<String> types, List<Path> paths, Path file) {
    if (types.equals(List.of("MLMTransformer", "SpladePooling"))) {
      Path poolingFile = paths.get(1).resolve("config.json");
      SpladePooling pooling = SpladePooling.defaults();
      if (Files.exists(poolingFile)) {
        JsonNode p = readJson(poolingFile);
        try {
          pooling = SpladePooling.of(p.path("pooling_strategy").asText("max"), p.path("activation_function").asText("relu"), poolingFile.toString());
        } catch (IllegalArgumentException e) {
          throw new Embed4jException.InvalidModel(e.getMessage());
        }
      }
      return splade(root, paths.get(0), pooling);
    }
    if (types.equals(List.of("SparseStaticEmbedding"))) {
      Path moduleDir = paths.get(0);
      Path weights = moduleDir.resolve("model.safetensors");
      if (!Files.exists(weights)) {
        weights = moduleDir.resolve("idf.json");
      }
      if (!Files.exists(weights)) {
        throw new Embed4jException.InvalidModel(moduleDir + ": SparseStaticEmbedding needs its weights, model.safetensors or idf.json");
      }
      return new StaticWeights(weights, tokenizer(moduleDir, root), maxLength(moduleDir));
    }
    throw new Embed4jException.InvalidModel(file + ": module sequence " + types + " is not a sparse encoder embed4j runs; supported: "
        + "[MLMTransformer, SpladePooling], [SparseStaticEmbedding], or a Router of those (module types: " + MODULE_TYPES + ")");
  }

  private static Splade splade(Path root, Path mlmDir, SpladePooling pooling) {
    Path tokenizer = tokenizer(mlmDir, root);
    Path onnx = null;
    for (Path candidate : List.of(mlmDir.resolve("onnx/model.onnx"), mlmDir.resolve("model.onnx"), root.resolve("onnx/model.onnx"),
        root.resolve("model.onnx"))) {
      if (Files.exists(candidate)) {
        onnx = candidate;
        break;
      }
    }
    if (onnx == null) {
      throw new Embed4jException.InvalidModel(mlmDir + ": no ONNX weights at onnx/model.onnx or model.onnx; export the masked-LM with optimum,"
          + " e.g. optimum-cli export onnx --task fill-mask --model naver/splade-v3 " + mlmDir.resolve("onnx"));
    }
    return new Splade(onnx, tokenizer, maxLength(mlmDir), pooling);
  }

  private static Path tokenizer(Path moduleDir, Path root) {
    for (Path candidate : List.of(moduleDir.resolve("tokenizer.json"), root.resolve("tokenizer.json"))) {
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new Embed4jException.InvalidModel(moduleDir + ": no tokenizer.json (embed4j needs the fast-tokenizer file)");
  }

  // sentence_bert_config.json's max_seq_length; else min(max_position_embeddings, model_max_length) as
  // MLMTransformer computes it; else 512.
  private static int maxLength(Path moduleDir) {
    Path sbert = moduleDir.resolve("sentence_bert_config.json");
    if (Files.exists(sbert)) {
      JsonNode s = readJson(sbert).path("max_seq_length");
      if (s.isNumber() && s.asInt() > 0) {
        return s.asInt();
      }
    }
    int length = 512;
    Path config = moduleDir.resolve("config.json");
    if (Files.exists(config)) {
      length = Math.min(length, readJson(config).path("max_position_embeddings").asInt(512));
    }
    Path tokenizerConfig = moduleDir.resolve("tokenizer_config.json");
    if (Files.exists(tokenizerConfig)) {
      JsonNode mml = readJson(tokenizerConfig).path("model_max_length");
      if (mml.isNumber() && mml.asDouble() > 0 && mml.asDouble() < UNSET_MAX_LENGTH) {
        length = Math.min(length, (int) mml.asDouble());
      }
    }
    return length;
  }

  private static Map<String, String> prompts(Path dir) {
    Map<String, String> prompts = new LinkedHashMap<>();
    Path st = dir.resolve("config_sentence_transformers.json");
    if (Files.exists(st)) {
      for (Iterator<Map.Entry<String, JsonNode>> it = readJson(st).path("prompts").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        prompts.put(e.getKey(), e.getValue().asText());
      }
    }
    return prompts;
  }

  private static String simpleType(String type, Path file) {
    String simple = type.substring(type.lastIndexOf('.') + 1);
    if (!MODULE_TYPES.contains(simple)) {
      throw new Embed4jException.InvalidModel(file + ": module type '" + type + "' is not supported for sparse encoders; supported types: "
          + MODULE_TYPES);
    }
    return simple;
  }

  private static Path inside(Path dir, String relative, Path file) {
    Path p = dir.resolve(relative).normalize();
    if (!p.toAbsolutePath().startsWith(dir.toAbsolutePath().normalize())) {
      throw new Embed4jException.InvalidModel(file + ": module path '" + relative + "' points outside the model directory");
    }
    return p;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new Embed4jException.InvalidModel("missing model file: " + file);
    } catch (IOException e) {
      throw new Embed4jException.InvalidModel("cannot parse " + file + ": " + e.getMessage(), e);
    }
  }
}

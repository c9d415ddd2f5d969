package io.embed4j.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.Embed4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a cross-encoder directory in Hugging Face layout says: config.json with a
 * sequence-classification head ({@code id2label}, {@code num_labels}) and the activation
 * sentence-transformers applies, tokenizer.json, and ONNX weights with a {@code logits} output at
 * onnx/model.onnx or model.onnx.
 *
 * @param name display name (directory name or Hub id)
 * @param labels label names by id ({@code id2label}); one label for a relevance score
 * @param activation applied to the logits: from config.json, else sigmoid for one label and identity for more
 * @param maxLength tokens per pair at most, special tokens included
 * @param architectures what config.json's {@code architectures} says, for messages
 * @param onnxModel the ONNX graph
 * @param tokenizer the tokenizer.json
 */
public record CrossEncoderConfig(
    String name, List<String> labels, Activation activation, int maxLength, List<String> architectures, Path onnxModel, Path tokenizer) {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** transformers writes this (1e30) for "no limit" in tokenizer_config.json. */
  private static final double UNSET_MAX_LENGTH = 1e20;

  public CrossEncoderConfig {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("cross-encoder '" + name + "' needs at least one label");
    }
    if (maxLength < 4) {
      throw new IllegalArgumentException("max length of cross-encoder '" + name + "' must be >= 4, got " + maxLength);
    }
    labels = List.copyOf(labels);
    architectures = List.copyOf(architectures);
  }

  public int numLabels() {
    return labels.size();
  }

  public CrossEncoderConfig withActivation(Activation a) {
    return new CrossEncoderConfig(name, labels, a, maxLength, architectures, onnxModel, tokenizer);
  }

  public CrossEncoderConfig withMaxLength(int length) {
    return new CrossEncoderConfig(name, labels, activation, length, architectures, onnxModel, tokenizer);
  }

  /** Reads a cross-encoder directory. */
  public static CrossEncoderConfig read(Path dir, String name) {
    if (!Files.isDirectory(dir)) {
      throw new Embed4jException.ModelNotFound("cross-encoder directory not found: " + dir);
    }
    Path configFile = dir.resolve("config.json");
    if (!Files.exists(configFile)) {
      throw new Embed4jException.InvalidModel(dir + ": no config.json; a cross-encoder directory has config.json"
          + " (a sequence-classification head), tokenizer.json and onnx/model.onnx");
    }
    JsonNode config = readJson(configFile);
    List<String> labels = labels(config, configFile);
    Activation activation = activation(config, configFile, labels.size());

    int maxLength = Math.min(512, config.path("max_position_embeddings").asInt(512));
    Path tokenizerConfig = dir.resolve("tokenizer_config.json");
    if (Files.exists(tokenizerConfig)) {
      JsonNode mml = readJson(tokenizerConfig).path("model_max_length");
      if (mml.isNumber() && mml.asDouble() > 0 && mml.asDouble() < UNSET_MAX_LENGTH) {
        maxLength = (int) Math.min(mml.asDouble(), config.path("max_position_embeddings").asInt(Integer.MAX_VALUE));
      }
    }
    List<String> architectures = new ArrayList<>();
    config.path("architectures").forEach(a -> architectures.add(a.asText()));

    Path tokenizer = dir.resolve("tokenizer.json");
    if (!Files.exists(tokenizer)) {
      throw new Embed4jException.InvalidModel(dir + ": no tokenizer.json (embed4j needs the fast-tokenizer file;"
          + " save one with transformers' AutoTokenizer.from_pretrained(...).save_pretrained(dir))");
    }
    Path onnx = null;
    for (Path candidate : List.of(dir.resolve("onnx/model.onnx"), dir.resolve("model.onnx"))) {
      if (Files.exists(candidate)) {
        onnx = candidate;
        break;
      }
    }
    if (onnx == null) {
      throw new Embed4jException.InvalidModel(dir + ": no ONNX weights at onnx/model.onnx or model.onnx; export them with optimum,"
          + " e.g. optimum-cli export onnx --task text-classification --model " + name + " " + dir.resolve("onnx"));
    }
    try {
      return new CrossEncoderConfig(name, labels, activation, maxLength, architectures, onnx, tokenizer);
    } catch (IllegalArgumentException e) {
      throw new Embed4jException.InvalidModel(dir + ": " + e.getMessage());
    }
  }

  // Labels by id from id2label; num_labels alone gives LABEL_i names; neither gives transformers' default of 2.
  private static List<String> labels(JsonNode config, Path file) {
    Map<Integer, String> byId = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = config.path("id2label").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      try {
        byId.put(Integer.parseInt(e.getKey()), e.getValue().asText());
      } catch (NumberFormatException ex) {
        throw new Embed4jException.InvalidModel(file + ": id2label key '" + e.getKey() + "' is not a label id");
      }
    }
    int numLabels = config.has("num_labels") ? config.get("num_labels").asInt() : byId.isEmpty() ? 2 : byId.size();
    if (numLabels < 1) {
      throw new Embed4jException.InvalidModel(file + ": num_labels must be >= 1, got " + numLabels);
    }
    if (!byId.isEmpty() && byId.size() != numLabels) {
      throw new Embed4jException.InvalidModel(file + ": num_labels is " + numLabels + " but id2label names " + byId.size() + " labels");
    }
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < numLabels; i++) {
      String label = byId.isEmpty() ? "LABEL_" + i : byId.get(i);
      if (label == null) {
        throw new Embed4jException.InvalidModel(file + ": id2label has no label " + i + " (ids must be 0.." + (numLabels - 1) + ")");
      }
      labels.add(label);
    }
    return labels;
  }

  private static Activation activation(JsonNode config, Path file, int numLabels) {
    JsonNode named = config.path("sentence_transformers").path("activation_fn");
    if (named.isMissingNode() || named.isNull()) {
      named = config.path("sbert_ce_default_activation_function");
    }
    if (named.isTextual()) {
      try {
        return Activation.fromName(named.asText());
      } catch (IllegalArgumentException e) {
        throw new Embed4jException.InvalidModel(file + ": " + e.getMessage());
      }
    }
    return numLabels == 1 ? Activation.SIGMOID : Activation.IDENTITY;
  }

  private static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new Embed4jException.InvalidModel("missing model file: " + file);
    } catch (IOException e) {
      throw new Embed4jException.InvalidModel("cannot parse " + file + ": " + e.getMessage(), e);
    }
  }
}

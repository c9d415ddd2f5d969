package io.embed4j.torch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.embed4j.Embed4jException;
import io.embed4j.modules.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The shape of a BERT-family encoder, as Hugging Face's {@code config.json} for {@code BertModel}
 * states it.
 *
 * @param vocabSize rows of the word embedding table
 * @param hiddenSize width of every token vector
 * @param layers transformer layers
 * @param heads attention heads per layer (hiddenSize must divide by it)
 * @param intermediateSize feed-forward width
 * @param maxPositions rows of the position embedding table
 * @param typeVocabSize rows of the token-type embedding table
 * @param layerNormEps LayerNorm epsilon
 * @param hiddenDropout dropout after embeddings, attention output and feed-forward (training only)
 * @param attentionDropout dropout on attention probabilities (training only)
 */
public record BertConfig(
    int vocabSize,
    int hiddenSize,
    int layers,
    int heads,
    int intermediateSize,
    int maxPositions,
    int typeVocabSize,
    double layerNormEps,
    double hiddenDropout,
    double attentionDropout) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public BertConfig {
    positive("vocabSize", vocabSize);
    positive("hiddenSize", hiddenSize);
    positive("layers", layers);
    positive("heads", heads);
    positive("intermediateSize", intermediateSize);
    positive("maxPositions", maxPositions);
    positive("typeVocabSize", typeVocabSize);
    if (hiddenSize % heads != 0) {
      throw new IllegalArgumentException("hiddenSize " + hiddenSize + " must be a multiple of heads " + heads);
    }
    if (!(layerNormEps > 0)) {
      throw new IllegalArgumentException("layerNormEps must be > 0, got " + layerNormEps);
    }
    if (hiddenDropout < 0 || hiddenDropout >= 1 || attentionDropout < 0 || attentionDropout >= 1) {
      throw new IllegalArgumentException("dropout rates must be in [0, 1), got " + hiddenDropout + " and " + attentionDropout);
    }
  }

  private static void positive(String name, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + v);
    }
  }

  public int headSize() {
    return hiddenSize / heads;
  }

  /** The same shape with other dropout rates (0 and 0 for deterministic gradient checks). */
  public BertConfig withDropout(double hidden, double attention) {
    return new BertConfig(vocabSize, hiddenSize, layers, heads, intermediateSize, maxPositions, typeVocabSize, layerNormEps,
        hidden, attention);
  }

  /** Reads a Hugging Face config.json of a BERT-family model. */
  public static BertConfig read(Path configJson) {
    JsonNode c;
    try {
      c = JSON.readTree(Files.readAllBytes(configJson));
    } catch (IOException e) {
      throw new Embed4jException.InvalidModel("cannot read " + configJson + ": " + e.getMessage(), e);
    }
    String type = c.path("model_type").asText("bert");
    if (!type.equals("bert")) {
      throw new Embed4jException.InvalidModel(configJson + ": model_type '" + type + "' is not supported by the trainable encoder; supported: [bert]");
    }
    String act = c.path("hidden_act").asText("gelu");
    if (!act.equals("gelu")) {
      throw new Embed4jException.InvalidModel(configJson + ": hidden_act '" + act + "' is not supported; supported: [gelu]");
    }
    try {
      return new BertConfig(c.path("vocab_size").asInt(), c.path("hidden_size").asInt(), c.path("num_hidden_layers").asInt(),
          c.path("num_attention_heads").asInt(), c.path("intermediate_size").asInt(), c.path("max_position_embeddings").asInt(512),
          c.path("type_vocab_size").asInt(2), c.path("layer_norm_eps").asDouble(1e-12), c.path("hidden_dropout_prob").asDouble(0.1),
          c.path("attention_probs_dropout_prob").asDouble(0.1));
    } catch (IllegalArgumentException e) {
      throw new Embed4jException.InvalidModel(configJson + ": " + e.getMessage());
    }
  }

  /**
   * Infers the shape from the weights themselves (Hugging Face names); the head count cannot be
   * seen in the weights and is given. Dropout rates are BERT's defaults (0.1).
   */
  public static BertConfig fromWeights(Map<String, SafeTensors.Tensor> weights, int heads) {
    SafeTensors.Tensor word = require(weights, "embeddings.word_embeddings.weight");
    SafeTensors.Tensor pos = require(weights, "embeddings.position_embeddings.weight");
    SafeTensors.Tensor type = weights.get("embeddings.token_type_embeddings.weight");
    SafeTensors.Tensor inter = require(weights, "encoder.layer.0.intermediate.dense.weight");
    int layers = 0;
    while (weights.containsKey("encoder.layer." + layers + ".attention.self.query.weight")) {
      layers++;
    }
    return new BertConfig((int) word.shape()[0], (int) word.shape()[1], layers, heads, (int) inter.shape()[0],
        (int) pos.shape()[0], type == null ? 2 : (int) type.shape()[0], 1e-12, 0.1, 0.1);
  }

  private static SafeTensors.Tensor require(Map<String, SafeTensors.Tensor> weights, String name) {
    SafeTensors.Tensor t = weights.get(name);
    if (t == null) {
      throw new Embed4jException.InvalidModel("not a BERT-family model: no weight '" + name + "'");
    }
    return t;
  }

  /** Hugging Face's config.json for this shape ({@code BertModel}). */
  public ObjectNode toJson() {
    ObjectNode c = JSON.createObjectNode();
    c.putArray("architectures").add("BertModel");
    c.put("attention_probs_dropout_prob", attentionDropout);
    c.put("classifier_dropout", (String) null);
    c.put("hidden_act", "gelu");
    c.put("hidden_dropout_prob", hiddenDropout);
    c.put("hidden_size", hiddenSize);
    c.put("initializer_range", 0.02);
    c.put("intermediate_size", intermediateSize);
    c.put("layer_norm_eps", layerNormEps);
    c.put("max_position_embeddings", maxPositions);
    c.put("model_type", "bert");
    c.put("num_attention_heads", heads);
    c.put("num_hidden_layers", layers);
    c.put("pad_token_id", 0);
    c.put("position_embedding_type", "absolute");
    c.put("torch_dtype", "float32");
    c.put("type_vocab_size", typeVocabSize);
    c.put("use_cache", true);
    c.put("vocab_size", vocabSize);
    return c;
  }
}

package io.embed4j.rerank.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.embed4j.Embed4jException;
import io.embed4j.rerank.Activation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a cross-encoder directory in the layout {@link io.embed4j.rerank.CrossEncoderConfig} reads
 * and Hugging Face's cross-encoders have:
 *
 * <pre>
 * OUT/config.json            the encoder's config, as BertForSequenceClassification: id2label, activation
 * OUT/tokenizer.json         the encoder's tokenizer
 * OUT/tokenizer_config.json  model_max_length
 * OUT/onnx/model.onnx        the encoder's graph plus a classification head with a logits output
 * </pre>
 *
 * Files are written into a temporary directory beside OUT and moved in one by one, so each file is
 * complete when it appears.
 */
public final class CrossEncoderWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CrossEncoderWriter() {}

  /**
   * @param out the directory to write (created; its model files replaced)
   * @param encoderOnnx the encoder's ONNX graph with a token-level output
   * @param hiddenOutput the name of that output ([batch, tokens, hidden]), e.g. last_hidden_state
   * @param tokenizerJson the encoder's tokenizer.json
   * @param baseConfig the encoder's Hugging Face config.json, or null
   * @param head the classification head
   * @param activation what the model's scores go through (sigmoid for a reranker trained with binary cross-entropy)
   * @param maxLength tokens per pair
   */
  public static Path write(Path out, Path encoderOnnx, String hiddenOutput, Path tokenizerJson, JsonNode baseConfig,
      ClassifierHead head, Activation activation, int maxLength) {
    Path target = out.toAbsolutePath().normalize();
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-export");
    try {
      deleteTree(tmp);
      Files.createDirectories(tmp.resolve("onnx"));
      Files.write(tmp.resolve("onnx/model.onnx"), head.appendTo(Files.readAllBytes(encoderOnnx), hiddenOutput));
      Files.copy(tokenizerJson, tmp.resolve("tokenizer.json"));
      ObjectNode tokenizerConfig = JSON.createObjectNode();
      tokenizerConfig.put("model_max_length", maxLength);
      Files.writeString(tmp.resolve("tokenizer_config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tokenizerConfig));
      Files.writeString(tmp.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config(baseConfig, head, activation)));
      Files.createDirectories(target.resolve("onnx"));
      for (String f : new String[] {"config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx"}) {
        Files.move(tmp.resolve(f), target.resolve(f), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      deleteTree(tmp);
      return target;
    } catch (IOException e) {
      throw new Embed4jException("cannot write the cross-encoder to " + target + ": " + e.getMessage(), e);
    }
  }

  static ObjectNode config(JsonNode base, ClassifierHead head, Activation activation) {
    ObjectNode c = base != null && base.isObject() ? ((ObjectNode) base).deepCopy() : JSON.createObjectNode();
    if (!c.has("model_type")) {
      c.put("model_type", "bert");
    }
    c.put("hidden_size", head.hidden());
    c.putArray("architectures").add("BertForSequenceClassification");
    ObjectNode id2label = c.putObject("id2label");
    ObjectNode label2id = c.putObject("label2id");
    for (int i = 0; i < head.labels(); i++) {
      id2label.put(String.valueOf(i), "LABEL_" + i);
      label2id.put("LABEL_" + i, i);
    }
    c.remove("num_labels");
    c.remove("sbert_ce_default_activation_function");
    ObjectNode st = c.putObject("sentence_transformers");
    st.put("activation_fn", activation.torchClass());
    return c;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

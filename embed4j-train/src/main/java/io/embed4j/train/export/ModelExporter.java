package io.embed4j.train.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.embed4j.Embed4jException;
import io.embed4j.model.ModelConfig;
import io.embed4j.modules.SafeTensors;
import io.embed4j.pooling.PoolingMode;
import io.embed4j.torch.BertEncoder;
import io.embed4j.torch.onnx.OnnxWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a trained encoder as a sentence-transformers model directory, which embed4j's ONNX Runtime
 * path serves and Python's sentence-transformers loads:
 *
 * <pre>
 * OUT/config.json                       Hugging Face BertModel config
 * OUT/model.safetensors                 weights, Hugging Face names, float32
 * OUT/tokenizer.json, tokenizer_config.json, special_tokens_map.json, vocab.txt
 * OUT/sentence_bert_config.json         max_seq_length, do_lower_case
 * OUT/modules.json                      Transformer, Pooling, (Normalize)
 * OUT/1_Pooling/config.json
 * OUT/2_Normalize/                      when the model normalizes
 * OUT/config_sentence_transformers.json prompts, similarity function
 * OUT/onnx/model.onnx                   the source ONNX graph with the trained weights written into it
 * </pre>
 *
 * The ONNX file is the source model's graph, unchanged, with each initializer's data overwritten by
 * the trained values (the architecture did not change, so the graph still fits). The files are
 * built in a temporary directory and then moved into OUT one by one, so each is complete when it
 * appears; other entries of OUT (checkpoints, reports) are left alone.
 */
public final class ModelExporter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelExporter() {}

  /**
   * Exports.
   *
   * @param encoder the trained encoder
   * @param onnx the source model's ONNX weights (the graph the trained weights go into), or null to skip ONNX
   * @param tokenizerJson the source tokenizer.json
   * @param source the source model's configuration (prompts, similarity, lowercasing)
   * @param maxSeqLength max_seq_length to record
   * @param out the directory to write into (created if absent; its model files are replaced)
   */
  public static void export(BertEncoder encoder, OnnxWeights onnx, Path tokenizerJson, ModelConfig source, int maxSeqLength, Path out) {
    Path parent = out.toAbsolutePath().getParent();
    Path tmp = parent.resolve("." + out.getFileName() + ".tmp-export");
    try {
      deleteTree(tmp);
      Files.createDirectories(tmp);
      Map<String, SafeTensors.Tensor> weights = encoder.weights();
      writeJson(tmp.resolve("config.json"), encoder.config().toJson());
      SafeTensors.write(tmp.resolve("model.safetensors"), weights);
      Files.copy(tokenizerJson, tmp.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
      writeTokenizerFiles(tokenizerJson, tmp, maxSeqLength, source.doLowerCase());
      ObjectNode sbert = JSON.createObjectNode().put("max_seq_length", maxSeqLength).put("do_lower_case", source.doLowerCase());
      writeJson(tmp.resolve("sentence_bert_config.json"), sbert);
      ArrayNode modules = JSON.createArrayNode();
      modules.addObject().put("idx", 0).put("name", "0").put("path", "").put("type", "sentence_transformers.models.Transformer");
      modules.addObject().put("idx", 1).put("name", "1").put("path", "1_Pooling").put("type", "sentence_transformers.models.Pooling");
      if (encoder.normalize()) {
        modules.addObject().put("idx", 2).put("name", "2").put("path", "2_Normalize").put("type", "sentence_transformers.models.Normalize");
        Files.createDirectories(tmp.resolve("2_Normalize"));
      }
      writeJson(tmp.resolve("modules.json"), modules);
      ObjectNode pooling = JSON.createObjectNode().put("word_embedding_dimension", encoder.config().hiddenSize());
      for (PoolingMode mode : PoolingMode.values()) {
        pooling.put(mode.configKey(), encoder.pooling().contains(mode));
      }
      pooling.put("include_prompt", source.includePrompt());
      Files.createDirectories(tmp.resolve("1_Pooling"));
      writeJson(tmp.resolve("1_Pooling/config.json"), pooling);
      ObjectNode st = JSON.createObjectNode();
      st.putObject("__version__").put("sentence_transformers", "3.0.1").put("transformers", "4.41.2").put("pytorch", "2.7.1");
      ObjectNode prompts = st.putObject("prompts");
      new TreeMap<>(source.prompts()).forEach(prompts::put);
      st.put("default_prompt_name", source.defaultPromptName());
      st.put("similarity_fn_name", source.similarity().configName());
      writeJson(tmp.resolve("config_sentence_transformers.json"), st);
      if (onnx != null) {
        Files.createDirectories(tmp.resolve("onnx"));
        onnx.writeWith(onnxWeights(onnx, weights), tmp.resolve("onnx/model.onnx"));
      }
      Files.createDirectories(out);
      try (var entries = Files.list(tmp)) {
        for (Path p : entries.toList()) {
          Path target = out.resolve(p.getFileName().toString());
          deleteTree(target);
          Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
        }
      }
      deleteTree(tmp);
    } catch (IOException e) {
      throw new Embed4jException("cannot export the model to " + out + ": " + e.getMessage(), e);
    }
  }

  // The trained weights that the graph has; a graph without some weight (e.g. no pooler) just skips it.
  private static Map<String, SafeTensors.Tensor> onnxWeights(OnnxWeights onnx, Map<String, SafeTensors.Tensor> weights) {
    Map<String, SafeTensors.Tensor> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, SafeTensors.Tensor> e : weights.entrySet()) {
      if (onnx.sources().containsKey(e.getKey())) {
        out.put(e.getKey(), e.getValue());
      }
    }
    for (String name : onnx.sources().keySet()) {
      if (name.startsWith("encoder.") && !out.containsKey(name)) {
        throw new Embed4jException.InvalidModel("the ONNX graph has weight '" + name + "' that the trained encoder lacks");
      }
    }
    return out;
  }

  // tokenizer_config.json, special_tokens_map.json and vocab.txt (from the WordPiece vocabulary), so
  // that transformers' AutoTokenizer builds a BertTokenizerFast from this directory.
  private static void writeTokenizerFiles(Path tokenizerJson, Path dir, int maxSeqLength, boolean lowerCase) throws IOException {
    JsonNode tok = JSON.readTree(Files.readAllBytes(tokenizerJson));
    JsonNode vocab = tok.path("model").path("vocab");
    if (vocab.isObject()) {
      String[] byId = new String[vocab.size()];
      for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        int id = e.getValue().asInt();
        if (id >= 0 && id < byId.length) {
          byId[id] = e.getKey();
        }
      }
      StringBuilder sb = new StringBuilder();
      for (String s : byId) {
        sb.append(s == null ? "[unused]" : s).append('\n');
      }
      Files.writeString(dir.resolve("vocab.txt"), sb);
    }
    boolean uncased = tok.path("normalizer").path("lowercase").asBoolean(lowerCase);
    ObjectNode config = JSON.createObjectNode();
    config.put("tokenizer_class", "BertTokenizer");
    config.put("do_lower_case", uncased);
    config.put("model_max_length", maxSeqLength);
    config.put("clean_up_tokenization_spaces", true);
    config.put("strip_accents", (String) null);
    config.put("tokenize_chinese_chars", true);
    config.put("cls_token", "[CLS]").put("sep_token", "[SEP]").put("pad_token", "[PAD]").put("unk_token", "[UNK]").put("mask_token", "[MASK]");
    writeJson(dir.resolve("tokenizer_config.json"), config);
    ObjectNode special = JSON.createObjectNode();
    special.put("cls_token", "[CLS]").put("sep_token", "[SEP]").put("pad_token", "[PAD]").put("unk_token", "[UNK]").put("mask_token", "[MASK]");
    writeJson(dir.resolve("special_tokens_map.json"), special);
  }

  private static void writeJson(Path file, JsonNode node) throws IOException {
    Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}

package io.embed4j.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.Embed4jException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which files of a Hub repository make a runnable sentence-transformers ONNX model. */
class SnapshotFilesTest {
  private static JsonNode json(String s) throws IOException {
    return new ObjectMapper().readTree(s);
  }

  private static List<String> select(List<String> siblings, JsonNode modules) {
    return SnapshotFiles.select("org/model", "main", siblings, modules);
  }

  @Test
  void takesConfigurationModulesAndOnnxWeightsButNoOtherWeights() throws IOException {
    List<String> siblings = List.of(".gitattributes", "README.md", "1_Pooling/config.json", "2_Dense/config.json",
        "2_Dense/model.safetensors", "2_Dense/pytorch_model.bin", "config.json", "config_sentence_transformers.json", "model.safetensors",
        "modules.json", "onnx/model.onnx", "onnx/model_O4.onnx", "onnx/model_qint8_avx512.onnx", "openvino/openvino_model.xml",
        "pytorch_model.bin", "sentence_bert_config.json", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt");
    JsonNode modules = json("""
        [{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},
         {"idx":1,"name":"1","path":"1_Pooling","type":"sentence_transformers.models.Pooling"},
         {"idx":2,"name":"2","path":"2_Dense","type":"sentence_transformers.models.Dense"},
         {"idx":3,"name":"3","path":"3_Normalize","type":"sentence_transformers.models.Normalize"}]""");
    assertEquals(List.of("modules.json", "config.json", "config_sentence_transformers.json", "sentence_bert_config.json", "tokenizer.json",
        "tokenizer_config.json", "special_tokens_map.json", "1_Pooling/config.json", "2_Dense/config.json", "2_Dense/model.safetensors",
        "onnx/model.onnx"), select(siblings, modules));
  }

  @Test
  void prefersOnnxFolderAndTakesExternalData() {
    assertEquals(List.of("tokenizer.json", "onnx/model.onnx", "onnx/model.onnx_data"),
        select(List.of("tokenizer.json", "model.onnx", "onnx/model.onnx", "onnx/model.onnx_data"), null));
    assertEquals(List.of("tokenizer.json", "model.onnx"), select(List.of("tokenizer.json", "model.onnx"), null));
  }

  @Test
  void transformerInASubfolderBringsItsOwnFiles() throws IOException {
    JsonNode modules = json("""
        [{"idx":0,"name":"0","path":"0_Transformer","type":"sentence_transformers.models.Transformer"},
         {"idx":1,"name":"1","path":"1_Pooling/","type":"sentence_transformers.models.Pooling"}]""");
    assertEquals(List.of("modules.json", "0_Transformer/config.json", "0_Transformer/sentence_bert_config.json", "0_Transformer/tokenizer.json",
        "1_Pooling/config.json", "0_Transformer/onnx/model.onnx"),
        select(List.of("modules.json", "0_Transformer/config.json", "0_Transformer/sentence_bert_config.json", "0_Transformer/tokenizer.json",
            "0_Transformer/onnx/model.onnx", "0_Transformer/pytorch_model.bin", "1_Pooling/config.json"), modules));
  }

  @Test
  void noOnnxExportIsAnErrorThatSuggestsOptimum() {
    var e = assertThrows(Embed4jException.InvalidModel.class, () -> select(List.of("tokenizer.json", "pytorch_model.bin"), null));
    assertTrue(e.getMessage().startsWith("org/model@main has no ONNX export") && e.getMessage().contains("optimum")
        && e.getMessage().contains("SentenceTransformer(\"org/model\", backend=\"onnx\")"), e.getMessage());
  }

  @Test
  void noTokenizerJsonIsAnError() {
    var e = assertThrows(Embed4jException.InvalidModel.class, () -> select(List.of("vocab.txt", "onnx/model.onnx"), null));
    assertTrue(e.getMessage().contains("no tokenizer.json"), e.getMessage());
  }
}

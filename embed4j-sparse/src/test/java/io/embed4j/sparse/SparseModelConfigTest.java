package io.embed4j.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.Embed4jException;
import io.embed4j.backend.OnnxGraphBuilder;
import io.embed4j.testing.TestModels;
import io.embed4j.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three sparse layouts (masked-LM export, SparseEncoder modules, inference-free Router) and their errors. */
class SparseModelConfigTest {
  @TempDir Path dir;

  @Test
  void plainMaskedLmExportIsSpladeMaxOnBothSides() {
    SparseModelConfig c = SparseModelConfig.read(TinyModels.splade(dir), "mlm");
    SparseModelConfig.Splade s = assertInstanceOf(SparseModelConfig.Splade.class, c.document());
    assertEquals(SpladePooling.defaults(), s.pooling());
    assertEquals(512, s.maxLength());
    assertSame(c.document(), c.query());
  }

  @Test
  void sentenceTransformersSparseEncoderLayoutReadsPoolingAndMaxSeqLength() throws IOException {
    TinyModels.splade(dir);
    Files.writeString(dir.resolve("modules.json"), """
        [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.sparse_encoder.models.MLMTransformer"},
         {"idx": 1, "name": "1", "path": "1_SpladePooling", "type": "sentence_transformers.sparse_encoder.models.SpladePooling"}]""");
    Files.createDirectories(dir.resolve("1_SpladePooling"));
    Files.writeString(dir.resolve("1_SpladePooling/config.json"),
        "{\"pooling_strategy\": \"sum\", \"activation_function\": \"relu\", \"word_embedding_dimension\": 66}");
    Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 256, \"do_lower_case\": false}");
    Files.writeString(dir.resolve("config_sentence_transformers.json"), "{\"prompts\": {\"query\": \"query \", \"document\": \"\"}, \"model_type\": \"SparseEncoder\"}");
    SparseModelConfig c = SparseModelConfig.read(dir, "st");
    SparseModelConfig.Splade s = assertInstanceOf(SparseModelConfig.Splade.class, c.document());
    assertEquals(SpladePooling.Strategy.SUM, s.pooling().strategy());
    assertEquals(256, s.maxLength());
    try (SparseEncoder splade = SparseEncoder.load(c, SparseEncoderOptions.defaults())) {
      // sum pooling: "the" at positions 2 and 4 of [CLS] the cat the [SEP]
      SparseVector d = splade.encodeDocument(List.of("the cat the"))[0];
      assertEquals((float) (Math.log1p(2) + Math.log1p(4)), d.get(5), 1e-6f);
      // the model's query prompt applies to queries only
      SparseVector q = splade.encodeQuery(List.of("cat"))[0];
      assertEquals(List.of("[CLS]", "[SEP]", "cat", "query"), splade.tokens(q));
    }
  }

  @Test
  void inferenceFreeRouterUsesTokenWeightsForQueriesAndSpladeForDocuments() throws IOException {
    Path doc = dir.resolve("document_1_MLMTransformer");
    TinyModels.splade(doc);
    Files.createDirectories(dir.resolve("document_2_SpladePooling"));
    Files.writeString(dir.resolve("document_2_SpladePooling/config.json"), "{\"pooling_strategy\": \"max\", \"activation_function\": \"relu\"}");
    Path query = dir.resolve("query_0_SparseStaticEmbedding");
    TestModels.tinyTokenizer(query);
    Files.writeString(query.resolve("idf.json"), "{\"cat\": 2.5, \"the\": 0.1, \"dog\": 3.0, \"[CLS]\": 9.0}");
    Files.writeString(dir.resolve("modules.json"), "[{\"idx\": 0, \"name\": \"0\", \"path\": \"\", \"type\": \"sentence_transformers.models.Router\"}]");
    Files.writeString(dir.resolve("router_config.json"), """
        {"types": {"query_0_SparseStaticEmbedding": "sentence_transformers.sparse_encoder.models.SparseStaticEmbedding",
                   "document_1_MLMTransformer": "sentence_transformers.sparse_encoder.models.MLMTransformer",
                   "document_2_SpladePooling": "sentence_transformers.sparse_encoder.models.SpladePooling"},
         "structure": {"query": ["query_0_SparseStaticEmbedding"], "document": ["document_1_MLMTransformer", "document_2_SpladePooling"]},
         "parameters": {"default_route": "document", "allow_empty_key": true}}""");
    SparseModelConfig c = SparseModelConfig.read(dir, "inference-free");
    assertInstanceOf(SparseModelConfig.StaticWeights.class, c.query());
    assertInstanceOf(SparseModelConfig.Splade.class, c.document());
    try (SparseEncoder splade = SparseEncoder.load(c, SparseEncoderOptions.defaults())) {
      SparseVector q = splade.encodeQuery(List.of("the cat sat"))[0];
      // distinct tokens, no special tokens, weight from idf.json; "sat" has none
      assertEquals(List.of("the", "cat"), splade.tokens(q));
      assertEquals(0.1f, q.get(5), 0f);
      assertEquals(2.5f, q.get(19), 0f);
      SparseVector d = splade.encodeDocument(List.of("the cat sat"))[0];
      assertEquals(List.of("[CLS]", "[SEP]", "the", "cat", "sat"), splade.tokens(d));
    }
  }

  @Test
  void aSentenceEmbeddingGraphIsNotASpladeModel() {
    TinyModels.splade(dir);
    OnnxGraphBuilder.graph("pooled")
        .input("input_ids", OnnxGraphBuilder.INT64, "batch", "tokens")
        .input("attention_mask", OnnxGraphBuilder.INT64, "batch", "tokens")
        .output("sentence_embedding", OnnxGraphBuilder.FLOAT, "batch", "tokens")
        .node("Cast", List.of("attention_mask"), List.of("sentence_embedding"), OnnxGraphBuilder.intAttr("to", OnnxGraphBuilder.FLOAT))
        .write(dir.resolve("onnx/model.onnx"));
    var e = assertThrows(Embed4jException.InvalidModel.class, () -> SparseEncoder.load(dir.toString()));
    assertTrue(e.getMessage().contains("no masked-LM output; expected 'logits' [batch, tokens, vocabulary]"), e.getMessage());
    assertTrue(e.getMessage().contains("sentence_embedding[-1, -1]"), e.getMessage());
  }

  @Test
  void unsupportedModulesAndPoolingNameWhatIsSupported() throws IOException {
    TinyModels.splade(dir);
    Files.writeString(dir.resolve("modules.json"), "[{\"idx\": 0, \"path\": \"\", \"type\": \"sentence_transformers.models.Transformer\"}]");
    var e = assertThrows(Embed4jException.InvalidModel.class, () -> SparseModelConfig.read(dir, "x"));
    assertTrue(e.getMessage().contains("module type 'sentence_transformers.models.Transformer' is not supported"), e.getMessage());
    Files.writeString(dir.resolve("modules.json"), """
        [{"idx": 0, "path": "", "type": "MLMTransformer"}, {"idx": 1, "path": "1_SpladePooling", "type": "SpladePooling"}]""");
    Files.createDirectories(dir.resolve("1_SpladePooling"));
    Files.writeString(dir.resolve("1_SpladePooling/config.json"), "{\"pooling_strategy\": \"mean\"}");
    var f = assertThrows(Embed4jException.InvalidModel.class, () -> SparseModelConfig.read(dir, "x"));
    assertTrue(f.getMessage().contains("pooling_strategy 'mean' is not supported; supported: max, sum"), f.getMessage());
  }

  @Test
  void missingWeightsSayHowToExport() {
    TestModels.tinyTokenizer(dir);
    var e = assertThrows(Embed4jException.InvalidModel.class, () -> SparseModelConfig.read(dir, "x"));
    assertTrue(e.getMessage().contains("optimum-cli export onnx --task fill-mask"), e.getMessage());
  }
}

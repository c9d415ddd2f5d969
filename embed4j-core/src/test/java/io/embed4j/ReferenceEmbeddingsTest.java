package io.embed4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.vector.VectorMath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** all-MiniLM-L6-v2 against vectors computed by an independent pipeline (transformers.js). */
class ReferenceEmbeddingsTest {
  private static EmbeddingModel model;

  @BeforeAll
  static void load() {
    model = EmbeddingModel.load("all-MiniLM-L6-v2");
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void everyReferenceVectorMatchesWithCosineAtLeast0_9999() throws Exception {
    Path sentencesFile = SharedData.require("reference/sentences.json");
    Path vectorsFile = SharedData.require("reference/all-MiniLM-L6-v2.transformers-js.json");
    ObjectMapper json = new ObjectMapper();
    List<String> sentences = new ArrayList<>();
    json.readTree(Files.readAllBytes(sentencesFile)).forEach(n -> sentences.add(n.asText()));
    JsonNode ref = json.readTree(Files.readAllBytes(vectorsFile));
    float[][] ours = model.encode(sentences);
    int truncated = -1;
    for (int i = 0; i < sentences.size(); i++) {
      JsonNode v = ref.get("embeddings").get(i);
      float[] expected = new float[v.size()];
      for (int k = 0; k < expected.length; k++) {
        expected[k] = (float) v.get(k).asDouble();
      }
      int tokens = model.tokenizer().tokenize(sentences.get(i)).length();
      assertEquals(ref.get("token_counts").get(i).asInt(), tokens, "token count of text " + i);
      if (tokens > model.maxSeqLength()) {
        truncated = i;
        assertTruncatedTextMatchesBothTruncationRules(sentences.get(i), ours[i], expected);
        continue;
      }
      float cos = VectorMath.cosine(ours[i], expected);
      assertTrue(cos >= 0.9999f, "text " + i + " cosine " + cos + ": " + sentences.get(i));
    }
    assertTrue(truncated >= 0, "the reference set should hold a text longer than 256 tokens");
  }

  /**
   * sentence-transformers truncates with the Hugging Face tokenizer: [CLS] + 254 tokens + [SEP].
   * transformers.js, which made the reference, cuts the sequence after adding special tokens:
   * [CLS] + 255 tokens, no [SEP]. We encode as sentence-transformers does, and show that running the
   * encoder on transformers.js's 256 tokens reproduces the reference exactly.
   */
  private static void assertTruncatedTextMatchesBothTruncationRules(String text, float[] ours, float[] reference) {
    long[] all = model.tokenizer().tokenize(text).ids();
    long[] stRule = java.util.Arrays.copyOf(all, 256);
    stRule[255] = all[all.length - 1];
    long[] jsRule = java.util.Arrays.copyOf(all, 256);
    assertTrue(VectorMath.cosine(ours, encodeIds(stRule)) >= 0.99999f, "our truncation is [CLS] + 254 tokens + [SEP]");
    float js = VectorMath.cosine(encodeIds(jsRule), reference);
    assertTrue(js >= 0.9999f, "the reference is reproduced by [CLS] + 255 tokens: cosine " + js);
    float ourCosine = VectorMath.cosine(ours, reference);
    assertTrue(ourCosine >= 0.998f, "the two truncation rules differ only by the final [SEP]: cosine " + ourCosine);
  }

  private static float[] encodeIds(long[] ids) {
    var files = model.files();
    try (var backend = new io.embed4j.backend.OnnxBackend(files.onnxModel(), io.embed4j.backend.BackendOptions.defaults())) {
      int n = ids.length;
      long[] mask = new long[n];
      java.util.Arrays.fill(mask, 1);
      var out = backend.run(new io.embed4j.backend.TokenBatch(1, n, ids, mask, new long[n], new int[] {n}));
      float[] v = new io.embed4j.pooling.Pooling(List.of(io.embed4j.pooling.PoolingMode.MEAN)).pool(out.values(), 0, n, out.width(), n, 0);
      return VectorMath.normalizeInPlace(v);
    }
  }

  @Test
  void helloWorldMatchesWhatSentenceTransformersPrints() {
    float[] v = model.encode("hello world");
    float[] expected = {-0.03448f, 0.03102f, 0.00673f, 0.02611f, -0.03936f, -0.16030f};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], v[i], 1e-4, "dimension " + i);
    }
    assertEquals(384, v.length);
    assertEquals(1.0, VectorMath.norm(v), 1e-5);
  }
}

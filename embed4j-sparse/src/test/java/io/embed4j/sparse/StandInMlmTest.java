package io.embed4j.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.SharedData;
import io.embed4j.backend.BackendOptions;
import io.embed4j.backend.FloatTensor;
import io.embed4j.backend.OnnxRunner;
import io.embed4j.backend.TokenBatch;
import io.embed4j.tokenize.TextTokenizer;
import io.embed4j.tokenize.TokenizedText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on a real transformer with a masked-LM head (random weights, bert-base-uncased's
 * vocabulary): vectors equal log(1 + ReLU(max logit)) computed here, text by text, from the raw
 * logits of a plain run. Checks shapes and arithmetic, not quality.
 *
 * <p>This stand-in's logits for a text change with the other rows of its batch (by up to 2.0, even
 * for rows without padding), a quirk of its random graph that real BERT exports do not have; so
 * texts run one per batch here, and batching and padding are checked on {@link io.embed4j.testing.TinyModels#splade}, whose
 * logits are known exactly.
 */
class StandInMlmTest {
  @TempDir static Path dir;
  static Path model;

  static final List<String> TEXTS = List.of(
      "Learned sparse vectors add exact-term strength that dense vectors miss.",
      "SPLADE",
      "",
      "A masked-language model scores every vocabulary term at every position; the max over positions gives one weight per term.",
      "café naïve résumé");

  @BeforeAll
  static void copy() throws IOException {
    Path onnx = SharedData.require("models/stand-ins/dummy_transformer_mlm.onnx");
    Path tokenizer = SharedData.require("models/stand-ins/bert-base-uncased-tokenizer.json");
    model = dir.resolve("dummy-mlm");
    Files.createDirectories(model.resolve("onnx"));
    Files.copy(onnx, model.resolve("onnx/model.onnx"));
    Files.copy(tokenizer, model.resolve("tokenizer.json"));
    Files.writeString(model.resolve("config.json"), "{\"architectures\": [\"BertForMaskedLM\"], \"vocab_size\": 30522}");
  }

  /** log(1 + ReLU(max over tokens)) straight from one unpadded run's logits, in double. */
  private static float[] byHand(OnnxRunner runner, TokenizedText t) {
    int n = t.length();
    long[] mask = new long[n];
    Arrays.fill(mask, 1L);
    FloatTensor logits = runner.run(new TokenBatch(1, n, t.ids(), mask, t.typeIds(), new int[] {n}), "logits");
    int vocab = logits.dim(2);
    float[] w = new float[vocab];
    for (int v = 0; v < vocab; v++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int tok = 0; tok < n; tok++) {
        max = Math.max(max, logits.values()[tok * vocab + v]);
      }
      w[v] = max > 0 ? (float) Math.log(1 + max) : 0f;
    }
    return w;
  }

  @Test
  void vectorsAreLog1pOfReluOfTheMaxLogitComputedByHand() {
    try (SparseEncoder splade = SparseEncoder.load(model.toString(), SparseEncoderOptions.defaults().withBatching(1024, 1));
        OnnxRunner runner = OnnxRunner.open(model.resolve("onnx/model.onnx"), BackendOptions.defaults());
        TextTokenizer tokenizer = TextTokenizer.load(model.resolve("tokenizer.json"))) {
      assertEquals(30522, splade.dimensions());
      SparseVector[] vectors = splade.encodeDocument(TEXTS);
      for (int i = 0; i < TEXTS.size(); i++) {
        float[] want = byHand(runner, tokenizer.tokenize(TEXTS.get(i)));
        float[] got = new float[want.length];
        SparseVector v = vectors[i];
        for (int k = 0; k < v.size(); k++) {
          got[v.indices()[k]] = v.values()[k];
        }
        assertArrayEquals(want, got, 1e-4f, "text " + i);
        int nonZero = (int) java.util.stream.IntStream.range(0, want.length).filter(k -> want[k] > 0).count();
        assertEquals(nonZero, v.size(), "text " + i + ": every positive weight and nothing else");
      }
    }
  }

  @Test
  void topKAndTokensOnTheRealVocabulary() {
    SparseEncoderOptions o = SparseEncoderOptions.defaults().withBothSides(SparseOptions.defaults().withMaxActiveDims(10));
    try (SparseEncoder splade = SparseEncoder.load(model.toString(), o)) {
      SparseVector v = splade.encodeQuery(List.of(TEXTS.get(0)))[0];
      assertEquals(10, v.size());
      List<String> terms = splade.tokens(v);
      assertEquals(10, terms.size());
      assertTrue(terms.stream().noneMatch(String::isEmpty), terms.toString());
      assertEquals("[CLS]", splade.token(101));
      assertEquals("##ing", splade.token(2075));
    }
  }
}

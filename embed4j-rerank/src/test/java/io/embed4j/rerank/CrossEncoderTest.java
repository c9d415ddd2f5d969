package io.embed4j.rerank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.Embed4jException;
import io.embed4j.encode.BatchStream;
import io.embed4j.testing.TestModels;
import io.embed4j.testing.TinyModels;
import io.embed4j.tokenize.TokenizedText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** predict, rank, activation and truncation on a graph whose logits are computed by hand. */
class CrossEncoderTest {
  @TempDir Path dir;

  @Test
  void oneLabelScoresAreTheSigmoidOfTheLogitByDefault() {
    try (CrossEncoder ce = CrossEncoder.load(TinyModels.crossEncoder(dir, 1, "").toString())) {
      assertEquals(Activation.SIGMOID, ce.config().activation());
      float[] scores = ce.predict(List.of(
          TextPair.of("the cat", "a dog sat"),         // 3 second tokens
          TextPair.of("what is a vector", "runs"),     // "run ##s": 2
          TextPair.of("", "")));                        // 0
      assertArrayEquals(new float[] {
          TinyModels.sigmoid(TinyModels.crossEncoderLogit(3)),
          TinyModels.sigmoid(TinyModels.crossEncoderLogit(2)),
          TinyModels.sigmoid(TinyModels.crossEncoderLogit(0))}, scores, 1e-6f);
      assertEquals(0.5f, ce.predict("the cat", "a dog sat"), 1e-6f);
    }
  }

  @Test
  void identityFromTheModelConfigGivesRawLogits() {
    String config = "\"sbert_ce_default_activation_function\": \"torch.nn.modules.linear.Identity\"";
    try (CrossEncoder ce = CrossEncoder.load(TinyModels.crossEncoder(dir, 1, config).toString())) {
      assertEquals(Activation.IDENTITY, ce.config().activation());
      assertEquals(TinyModels.crossEncoderLogit(5), ce.predict("the", "the cat sat on the"), 1e-6f);
    }
  }

  @Test
  void sentenceTransformersV4ActivationKeyIsRead() {
    String config = "\"sentence_transformers\": {\"activation_fn\": \"torch.nn.modules.activation.Tanh\", \"version\": \"4.0.1\"}";
    try (CrossEncoder ce = CrossEncoder.load(TinyModels.crossEncoder(dir, 1, config).toString())) {
      assertEquals((float) Math.tanh(TinyModels.crossEncoderLogit(1)), ce.predict("a", "cat"), 1e-6f);
    }
  }

  @Test
  void optionsOverrideTheModelsActivation() {
    Path model = TinyModels.crossEncoder(dir, 1, "");
    try (CrossEncoder ce = CrossEncoder.load(model.toString(), CrossEncoderOptions.defaults().withActivation(Activation.IDENTITY))) {
      assertEquals(TinyModels.crossEncoderLogit(2), ce.predict("a", "cat dog"), 1e-6f);
    }
  }

  @Test
  void rankOrdersByScoreBestFirstAndCutsAtTopK() {
    try (CrossEncoder ce = CrossEncoder.load(TinyModels.crossEncoder(dir, 1, "").toString())) {
      // longer documents score higher on this graph
      List<String> docs = List.of("cat", "the big red cat sat", "a dog", "one two", "fish");
      List<RankedDocument> all = ce.rank("query", docs, 0);
      assertEquals(List.of(1, 2, 3, 0, 4), all.stream().map(RankedDocument::index).toList(), "ties keep input order");
      assertEquals(TinyModels.sigmoid(TinyModels.crossEncoderLogit(5)), all.get(0).score(), 1e-6f);
      List<RankedDocument> top2 = ce.rank("query", docs, 2);
      assertEquals(all.subList(0, 2), top2);
      assertEquals(5, ce.rank("query", docs, 99).size());
      assertEquals(List.of(), ce.rank("query", List.of(), 3));
    }
  }

  @Test
  void longPairsAreTruncatedLongestFirstToTheMaxLength() {
    Path model = TinyModels.crossEncoder(dir, 1, "");
    try (CrossEncoder ce = CrossEncoder.load(model.toString(), CrossEncoderOptions.defaults().withMaxLength(8).withActivation(Activation.IDENTITY))) {
      // budget 8 - 3 = 5 content tokens: the 2-token query stays whole, the document keeps 3
      String doc = "the cat sat on the mat and the dog sat";
      TokenizedText t = ce.tokenize(TextPair.of("the cat", doc));
      assertEquals(8, t.length());
      assertArrayEquals(new long[] {0, 0, 0, 0, 1, 1, 1, 1}, t.typeIds());
      assertEquals(TinyModels.crossEncoderLogit(3), ce.predict("the cat", doc), 1e-6f);
      // both long: 2 and 3 (the longer side gets the odd token)
      assertEquals(TinyModels.crossEncoderLogit(3), ce.predict("the cat sat on the mat", doc), 1e-6f);
    }
  }

  @Test
  void batchedEqualsOneAtATimeInInputOrderAcrossTokenizationBlocks() {
    Path model = TinyModels.crossEncoder(dir, 1, "");
    Random r = new Random(5);
    String[] words = "the a cat dog sat on mat fish bird tree house java vector search".split(" ");
    List<TextPair> pairs = new ArrayList<>();
    int[] secondLengths = new int[BatchStream.BLOCK + 77];
    for (int i = 0; i < secondLengths.length; i++) {
      secondLengths[i] = r.nextInt(30);
      pairs.add(TextPair.of(words[r.nextInt(words.length)], sentence(words, r, secondLengths[i])));
    }
    try (CrossEncoder ce = CrossEncoder.load(model.toString(), CrossEncoderOptions.defaults().withActivation(Activation.IDENTITY));
        CrossEncoder tiny = CrossEncoder.load(model.toString(), CrossEncoderOptions.defaults().withActivation(Activation.IDENTITY).withBatching(1, 1))) {
      CrossEncoder.Predictions p = ce.score(pairs);
      float[] oneByOne = tiny.predict(pairs);
      for (int i = 0; i < pairs.size(); i++) {
        assertEquals(TinyModels.crossEncoderLogit(secondLengths[i]), p.scores()[i][0], 1e-6f, "pair " + i);
        assertEquals(p.scores()[i][0], oneByOne[i], 0f, "pair " + i);
      }
      assertEquals(pairs.size(), p.stats().texts());
      assertTrue(p.stats().batches() > 1);
      assertTrue(p.stats().paddedTokens() <= p.stats().batches() * 2048L);
    }
  }

  @Test
  void twoLabelModelsGiveOneScorePerLabelAndRefuseRank() {
    String config = "\"sentence_transformers\": {\"activation_fn\": \"torch.nn.modules.activation.Softmax\"}";
    try (CrossEncoder ce = CrossEncoder.load(TinyModels.crossEncoder(dir, 2, config).toString())) {
      assertEquals(List.of("LABEL_0", "LABEL_1"), ce.config().labels());
      float[] s = ce.predictAll(List.of(TextPair.of("the cat", "a dog sat")))[0];
      // logits (4, 4): [CLS] the cat [SEP] = 4 of type 0; a dog sat [SEP] = 4 of type 1
      assertArrayEquals(new float[] {0.5f, 0.5f}, s, 1e-6f);
      float[] t = ce.predictAll(List.of(TextPair.of("cat", "")))[0];
      double e = Math.exp(3 - 1);
      assertArrayEquals(new float[] {(float) (1 / (1 + e)), (float) (e / (1 + e))}, t, 1e-6f);
      var err = assertThrows(Embed4jException.InvalidInput.class, () -> ce.rank("q", List.of("d"), 1));
      assertTrue(err.getMessage().contains("has 2 labels"), err.getMessage());
    }
  }

  @Test
  void twoLabelModelsDefaultToIdentity() {
    try (CrossEncoder ce = CrossEncoder.load(TinyModels.crossEncoder(dir, 2, "").toString())) {
      assertEquals(Activation.IDENTITY, ce.config().activation());
      assertArrayEquals(new float[] {2, 3}, ce.predictAll(List.of(TextPair.of("cat", "a")))[0], 0f);
    }
  }

  private static String sentence(String[] words, Random r, int n) {
    StringBuilder sb = new StringBuilder();
    for (int w = 0; w < n; w++) {
      sb.append(words[r.nextInt(words.length)]).append(' ');
    }
    return sb.toString().trim();
  }
}

package io.embed4j.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.encode.BatchStream;
import io.embed4j.testing.TestModels;
import io.embed4j.testing.TinyModels;
import io.embed4j.tokenize.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SPLADE pipeline on a graph whose logits are known: tokenization, masking, pooling, pruning, order. */
class SparseEncoderTest {
  @TempDir Path dir;

  private static SparseVector expected(TextTokenizer t, String text, int maxLength) {
    return SpladePooling.prune(TinyModels.spladeWeights(t.tokenize(text).truncate(maxLength).ids()), 0, 0f);
  }

  @Test
  void eachDistinctTokenWeighsLog1pOfItsLastPosition() {
    Path model = TinyModels.splade(dir);
    try (SparseEncoder splade = SparseEncoder.load(model.toString())) {
      assertEquals(TestModels.TINY_VOCAB, splade.dimensions());
      SparseVector v = splade.encodeDocument(List.of("the cat sat on the mat"))[0];
      // [CLS]=1 the=2 cat=3 sat=4 on=5 the=6 mat=7 [SEP]=8: "the" keeps its last position, 6
      List<String> terms = splade.tokens(v);
      assertEquals(List.of("[CLS]", "[SEP]", "the", "on", "cat", "sat", "mat"), terms);
      assertEquals((float) Math.log1p(6), v.values()[terms.indexOf("the")], 1e-6f);
      assertEquals((float) Math.log1p(1), v.values()[terms.indexOf("[CLS]")], 1e-6f);
      assertEquals((float) Math.log1p(8), v.values()[terms.indexOf("[SEP]")], 1e-6f);
      assertEquals((float) Math.log1p(7), v.values()[terms.indexOf("mat")], 1e-6f);
    }
  }

  @Test
  void batchedEqualsOneAtATimeAndPaddingNeverShows() {
    Path model = TinyModels.splade(dir);
    Random r = new Random(3);
    String[] words = "the a cat dog sat on mat fish bird tree house java vector search runs jumped".split(" ");
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < BatchStream.BLOCK + 41; i++) {
      StringBuilder sb = new StringBuilder();
      for (int w = r.nextInt(i % 50 == 0 ? 600 : 30); w > 0; w--) {
        sb.append(words[r.nextInt(words.length)]).append(' ');
      }
      texts.add(sb.toString().trim());
    }
    try (SparseEncoder big = SparseEncoder.load(model.toString());
        SparseEncoder single = SparseEncoder.load(model.toString(), SparseEncoderOptions.defaults().withBatching(1, 1));
        TextTokenizer t = TextTokenizer.load(model.resolve("tokenizer.json"))) {
      SparseEmbeddings e = big.encode(texts, SparseEncoder.Side.DOCUMENT);
      SparseVector[] one = single.encodeDocument(texts);
      for (int i = 0; i < texts.size(); i++) {
        SparseVector want = expected(t, texts.get(i), 512);
        assertEquals(want.size(), e.vectors()[i].size(), "text " + i);
        assertArrayEquals(want.indices(), e.vectors()[i].indices(), "text " + i);
        assertArrayEquals(want.values(), e.vectors()[i].values(), 1e-6f, "text " + i);
        assertEquals(e.vectors()[i], one[i], "text " + i + ": batched equals single");
        assertEquals(0f, e.vectors()[i].get((int) TestModels.PAD), "[PAD] is masked out");
      }
      assertEquals(texts.size(), e.stats().texts());
      assertTrue(e.stats().batches() > 1);
      assertTrue(e.stats().paddedTokens() <= e.stats().batches() * (long) SparseEncoderOptions.DEFAULT_BATCH_TOKENS);
    }
  }

  @Test
  void longTextsAreTruncatedToTheMaxLength() {
    Path model = TinyModels.splade(dir);
    String text = "the cat sat on the mat and the dog sat on a tree";
    SparseEncoderOptions o = SparseEncoderOptions.defaults().withDocument(SparseOptions.defaults().withMaxLength(5));
    try (SparseEncoder splade = SparseEncoder.load(model.toString(), o);
        TextTokenizer t = TextTokenizer.load(model.resolve("tokenizer.json"))) {
      SparseVector v = splade.encodeDocument(List.of(text))[0];
      assertEquals(expected(t, text, 5), v);
      assertEquals(List.of("[CLS]", "[SEP]", "the", "cat", "sat"), splade.tokens(v));
      assertEquals((float) Math.log1p(5), v.get((int) TestModels.SEP), 1e-6f, "[SEP] closes the truncated text at position 5");
    }
  }

  @Test
  void queryAndDocumentSidesPruneAsConfigured() {
    Path model = TinyModels.splade(dir);
    SparseEncoderOptions o = SparseEncoderOptions.defaults()
        .withQuery(SparseOptions.defaults().withMaxActiveDims(2))
        .withDocument(SparseOptions.defaults().withThreshold((float) Math.log1p(3)));
    String text = "java vector search fast";
    try (SparseEncoder splade = SparseEncoder.load(model.toString(), o)) {
      // [CLS]=1 java=2 vector=3 search=4 fast=5 [SEP]=6
      SparseVector q = splade.encodeQuery(List.of(text))[0];
      assertEquals(List.of("[SEP]", "fast"), splade.tokens(q), "top 2: positions 6 and 5");
      SparseVector d = splade.encodeDocument(List.of(text))[0];
      assertEquals(List.of("[SEP]", "search", "fast"), splade.tokens(d), "above log(1 + 3): positions 4, 5, 6");
      assertEquals((float) (Math.log1p(6) * Math.log1p(6) + Math.log1p(5) * Math.log1p(5)), q.dot(d), 1e-5f);
    }
  }

  @Test
  void promptsArePrependedPerSide() {
    Path model = TinyModels.splade(dir);
    SparseEncoderOptions o = SparseEncoderOptions.defaults().withQuery(SparseOptions.defaults().withPrompt("query "));
    try (SparseEncoder splade = SparseEncoder.load(model.toString(), o)) {
      assertEquals((float) Math.log1p(2), splade.encodeQuery(List.of("cat"))[0].get(tokenId(model, "query")), 1e-6f);
      assertEquals(0f, splade.encodeDocument(List.of("cat"))[0].get(tokenId(model, "query")));
    }
  }

  @Test
  void emptyInputGivesNoVectors() {
    try (SparseEncoder splade = SparseEncoder.load(TinyModels.splade(dir).toString())) {
      assertEquals(0, splade.encodeDocument(List.of()).length);
      assertEquals(List.of("[CLS]", "[SEP]"), splade.tokens(splade.encodeDocument(List.of(""))[0]));
    }
  }

  private static int tokenId(Path model, String word) {
    try (TextTokenizer t = TextTokenizer.load(model.resolve("tokenizer.json"))) {
      return (int) t.contentIds(List.of(word))[0][0];
    }
  }
}

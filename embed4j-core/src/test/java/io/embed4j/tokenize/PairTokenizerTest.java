package io.embed4j.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.embed4j.SharedData;
import io.embed4j.testing.TestModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pair tokenization checked against Hugging Face's own pair encoding and longest-first truncation. */
class PairTokenizerTest {
  @TempDir Path dir;

  @Test
  void pairIsClsFirstSepSecondSepWithTypesZeroThenOne() {
    try (TextTokenizer t = TextTokenizer.load(TestModels.tinyTokenizer(dir))) {
      PairTokenizer pairs = new PairTokenizer(t);
      TokenizedText p = pairs.tokenize("the cat", "a dog sat", 512);
      long[] cat = t.contentIds(List.of("the cat"))[0];
      long[] dog = t.contentIds(List.of("a dog sat"))[0];
      assertEquals(2, cat.length);
      assertEquals(3, dog.length);
      long c = TestModels.CLS;
      long s = TestModels.SEP;
      assertArrayEquals(new long[] {c, cat[0], cat[1], s, dog[0], dog[1], dog[2], s}, p.ids());
      assertArrayEquals(new long[] {0, 0, 0, 0, 1, 1, 1, 1}, p.typeIds());
      assertEquals(3, pairs.specialTokens());
    }
  }

  @Test
  void longestFirstMatchesHandComputedCases() {
    // both fit
    assertArrayEquals(new int[] {3, 4}, PairTokenizer.longestFirst(3, 4, 7));
    // only the longer is cut: the shorter stays whole
    assertArrayEquals(new int[] {2, 8}, PairTokenizer.longestFirst(2, 20, 10));
    assertArrayEquals(new int[] {8, 2}, PairTokenizer.longestFirst(20, 2, 10));
    // both cut: half each, the longer gets the odd token
    assertArrayEquals(new int[] {4, 5}, PairTokenizer.longestFirst(6, 9, 9));
    assertArrayEquals(new int[] {5, 4}, PairTokenizer.longestFirst(9, 6, 9));
    // a tie: the second side gets the odd token
    assertArrayEquals(new int[] {4, 5}, PairTokenizer.longestFirst(7, 7, 9));
    // nothing left
    assertArrayEquals(new int[] {0, 0}, PairTokenizer.longestFirst(3, 5, 0));
  }

  @Test
  void truncationEqualsHuggingFaceLongestFirstOnTheTinyTokenizer() {
    checkAgainstHuggingFace(TestModels.tinyTokenizer(dir), "the cat sat on a mat . dog fish bird tree house java vector search ranking query".split(" "));
  }

  @Test
  void truncationEqualsHuggingFaceLongestFirstOnBertBaseUncased() {
    Path tok = SharedData.require("models/stand-ins/bert-base-uncased-tokenizer.json");
    checkAgainstHuggingFace(tok, "Cross-encoders read the query and document together, unlike bi-encoders; naïve café résumé 東京 emoji 🙂 tokenization"
        .split(" "));
  }

  @Test
  void truncationEqualsHuggingFaceLongestFirstOnMiniLm() {
    Path tok = SharedData.require("models/all-MiniLM-L6-v2/tokenizer.json");
    checkAgainstHuggingFace(tok, "What is the capital of France ? Paris is the capital and most populous city of France".split(" "));
  }

  private static void checkAgainstHuggingFace(Path tokenizerJson, String[] words) {
    Random r = new Random(11);
    List<String> firsts = new ArrayList<>();
    List<String> seconds = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      firsts.add(sentence(words, r, r.nextInt(i % 10 == 0 ? 40 : 12)));
      seconds.add(sentence(words, r, r.nextInt(i % 7 == 0 ? 40 : 25)));
    }
    try (TextTokenizer t = TextTokenizer.load(tokenizerJson)) {
      PairTokenizer pairs = new PairTokenizer(t);
      for (int maxLength : new int[] {3, 4, 8, 9, 16, 25, 512}) {
        TokenizedText[] ours = pairs.tokenize(firsts, seconds, maxLength);
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
            "truncation", "longest_first", "maxLength", String.valueOf(maxLength), "padding", "false"))) {
          for (int i = 0; i < firsts.size(); i++) {
            Encoding e = hf.encode(firsts.get(i), seconds.get(i), true, false);
            String what = "pair " + i + " at max length " + maxLength + ": (" + firsts.get(i) + ", " + seconds.get(i) + ")";
            assertArrayEquals(e.getIds(), ours[i].ids(), what);
            assertArrayEquals(e.getTypeIds(), ours[i].typeIds(), what);
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
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

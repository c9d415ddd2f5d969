package io.embed4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.encode.EncodeOptions;
import io.embed4j.encode.LongInputMode;
import io.embed4j.vector.VectorMath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batching, ordering, threads, Matryoshka, prompts and long inputs on the real all-MiniLM-L6-v2. */
class EncodingBehaviourTest {
  private static EmbeddingModel model;
  private static List<String> texts;

  @BeforeAll
  static void load() {
    model = EmbeddingModel.load("all-MiniLM-L6-v2");
    texts = new ArrayList<>();
    Random r = new Random(7);
    String[] words = "the a model vector search embedding java query document token fast batch cosine index".split(" ");
    for (int i = 0; i < 700; i++) { // more than one tokenization block, so the producer thread runs
      StringBuilder sb = new StringBuilder();
      int n = 1 + r.nextInt(i % 50 == 0 ? 120 : 20);
      for (int w = 0; w < n; w++) {
        sb.append(words[r.nextInt(words.length)]).append(' ');
      }
      texts.add(sb.toString().trim());
    }
    texts.add("");
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    float cos = VectorMath.cosine(expected, actual);
    assertTrue(cos > 0.99999f, what + ": cosine " + cos);
  }

  @Test
  void batchedEqualsOneAtATimeInInputOrder() {
    float[][] batched = model.encode(texts);
    for (int i = 0; i < texts.size(); i += 37) {
      assertClose(model.encode(texts.get(i)), batched[i], "text " + i);
    }
  }

  @Test
  void tinyTokenBudgetGivesTheSameVectorsAsTheDefault() {
    float[][] big = model.encode(texts.subList(0, 60));
    float[][] small = model.encode(texts.subList(0, 60), EncodeOptions.defaults().withBatching(1, 1));
    for (int i = 0; i < big.length; i++) {
      assertClose(big[i], small[i], "text " + i);
    }
  }

  @Test
  void shuffledInputGivesTheSameVectorPerText() {
    List<String> shuffled = new ArrayList<>(texts);
    Collections.shuffle(shuffled, new Random(3));
    float[][] a = model.encode(texts);
    float[][] b = model.encode(shuffled);
    for (int i = 0; i < shuffled.size(); i += 11) {
      assertClose(a[texts.indexOf(shuffled.get(i))], b[i], "shuffled text " + i);
    }
  }

  @Test
  void severalThreadsShareOneModel() throws Exception {
    float[][] expected = model.encode(texts);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[][]>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t * 100;
        futures.add(pool.submit(() -> model.encode(texts.subList(offset, offset + 150))));
      }
      for (int t = 0; t < 4; t++) {
        float[][] got = futures.get(t).get();
        for (int i = 0; i < got.length; i++) {
          assertClose(expected[t * 100 + i], got[i], "thread " + t + " text " + i);
        }
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void emptyTextEncodesLikeAnyOtherText() {
    float[] v = model.encode("");
    assertEquals(384, v.length);
    assertEquals(1.0, VectorMath.norm(v), 1e-5);
  }

  @Test
  void matryoshkaTruncatesThenRenormalizes() {
    float[] full = model.encode("Matryoshka dolls nest inside each other");
    float[] small = model.encode(List.of("Matryoshka dolls nest inside each other"), EncodeOptions.defaults().withDimensions(64))[0];
    assertEquals(64, small.length);
    float[] expected = java.util.Arrays.copyOf(full, 64);
    VectorMath.normalizeInPlace(expected);
    assertArrayEquals(expected, small, 1e-6f);
  }

  @Test
  void noNormalizeKeepsTheRawPooledNorm() {
    float[] raw = model.encode(List.of("unnormalized output"), EncodeOptions.defaults().withNormalize(false))[0];
    float[] unit = model.encode("unnormalized output");
    assertTrue(Math.abs(VectorMath.norm(raw) - 1f) > 0.01f, "raw norm " + VectorMath.norm(raw));
    assertArrayEquals(unit, VectorMath.normalizeInPlace(raw.clone()), 1e-6f);
  }

  @Test
  void rawPromptIsPrependedToTheText() {
    float[] withPrompt = model.encode(List.of("cats"), EncodeOptions.defaults().withPrompt("query: "))[0];
    assertClose(model.encode("query: cats"), withPrompt, "prompt");
  }

  @Test
  void unknownPromptNameIsAClearError() {
    var e = assertThrows(Embed4jException.InvalidInput.class,
        () -> model.encode(List.of("x"), EncodeOptions.defaults().withPromptName("query")));
    assertTrue(e.getMessage().contains("no prompt named 'query'"), e.getMessage());
  }

  @Test
  void chunkingShortTextEqualsTruncation() {
    String t = "a short text fits one window";
    float[] chunked = model.encode(List.of(t), EncodeOptions.defaults().withLongInput(LongInputMode.CHUNK, 32))[0];
    assertClose(model.encode(t), chunked, "one window");
  }

  @Test
  void chunkingLongTextPoolsWindowsByTokenWeightedMean() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 120; i++) {
      sb.append("Sentence number ").append(i).append(" talks about vector search. ");
    }
    String text = sb.toString();
    int content = model.tokenizer().countContentTokens(text);
    assertTrue(content > 600, "test text should need several windows, has " + content);
    EncodeOptions chunk = EncodeOptions.defaults().withLongInput(LongInputMode.CHUNK, 32);
    float[][] windows = model.encodeWindows(List.of(text), chunk).get(0);
    int span = model.maxSeqLength() - 2;
    int stride = span - 32;
    int expectedWindows = 1 + (int) Math.ceil((double) (content - span) / stride);
    assertEquals(expectedWindows, windows.length);
    // The pooled vector is the token-weighted mean of the (unnormalized) windows, then normalized.
    float[][] raw = model.encodeWindows(List.of(text), chunk.withNormalize(false)).get(0);
    float[] mean = new float[raw[0].length];
    for (int w = 0; w < raw.length; w++) {
      int weight = Math.min(span, content - w * stride);
      for (int h = 0; h < mean.length; h++) {
        mean[h] += weight * raw[w][h];
      }
    }
    VectorMath.normalizeInPlace(mean);
    assertClose(mean, model.encode(List.of(text), chunk)[0], "weighted mean of windows");
    assertTrue(VectorMath.cosine(model.encode(text), model.encode(List.of(text), chunk)[0]) < 0.9999f,
        "chunking sees the whole text, truncation does not");
  }

  @Test
  void tooManyDimensionsIsAClearError() {
    var e = assertThrows(Embed4jException.InvalidInput.class,
        () -> model.encode(List.of("x"), EncodeOptions.defaults().withDimensions(1000)));
    assertTrue(e.getMessage().contains("exceeds the model's 384"), e.getMessage());
  }
}

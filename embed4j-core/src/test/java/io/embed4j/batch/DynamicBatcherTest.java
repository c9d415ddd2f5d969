package io.embed4j.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.Embed4jException;
import io.embed4j.EmbeddingModel;
import io.embed4j.encode.EncodeOptions;
import io.embed4j.vector.VectorMath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dynamic batcher on the real all-MiniLM-L6-v2: same vectors as encode, coalescing, limits, cancellation, shutdown. */
class DynamicBatcherTest {
  private static EmbeddingModel model;
  private static List<String> texts;

  @BeforeAll
  static void load() {
    model = EmbeddingModel.load("all-MiniLM-L6-v2");
    texts = new ArrayList<>();
    String[] words = "the a model vector search embedding java query document token fast batch cosine index".split(" ");
    for (int i = 0; i < 96; i++) {
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < 1 + (i * 7) % 23; w++) {
        sb.append(words[(i + w * 3) % words.length]).append(' ');
      }
      texts.add(sb.toString().trim());
    }
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

  private static Throwable failure(CompletableFuture<?> f) {
    CompletionException e = assertThrows(CompletionException.class, f::join);
    return e.getCause();
  }

  @Test
  void concurrentSingleTextsGetTheVectorsOfOfflineEncodeInFewerBatches() throws Exception {
    float[][] offline = model.encode(texts);
    List<DynamicBatcher.BatchStats> seen = new CopyOnWriteArrayList<>();
    try (DynamicBatcher batcher = DynamicBatcher.start(model, DynamicBatcher.Config.defaults(), seen::add)) {
      List<CompletableFuture<float[]>> futures = new ArrayList<>();
      for (String t : texts) {
        futures.add(batcher.submit(t));
      }
      for (int i = 0; i < texts.size(); i++) {
        assertClose(offline[i], futures.get(i).join(), "text " + i);
      }
      assertTrue(batcher.batches() < texts.size() / 2, "coalesced " + texts.size() + " texts into " + batcher.batches() + " batches");
      for (DynamicBatcher.BatchStats s : seen) {
        assertTrue(s.texts() <= EncodeOptions.DEFAULT_MAX_BATCH_SIZE && s.paddedTokens() <= EncodeOptions.DEFAULT_BATCH_TOKENS, s.toString());
      }
      assertEquals(texts.size(), seen.stream().mapToInt(DynamicBatcher.BatchStats::texts).sum());
      assertEquals(0, batcher.queueDepth());
      assertEquals(0, batcher.inFlight());
    }
  }

  @Test
  void severalInferenceWorkersRunBatchesSideBySideWithTheSameVectors() {
    float[][] offline = model.encode(texts);
    DynamicBatcher.Config two = new DynamicBatcher.Config(512, 8, 512, 2, 2);
    try (DynamicBatcher batcher = DynamicBatcher.start(model, two)) {
      List<CompletableFuture<float[][]>> requests = new ArrayList<>();
      for (int from = 0; from < texts.size(); from += 12) {
        requests.add(batcher.submitAll(texts.subList(from, from + 12), EncodeOptions.defaults()));
      }
      for (int r = 0; r < requests.size(); r++) {
        float[][] got = requests.get(r).join();
        for (int i = 0; i < 12; i++) {
          assertClose(offline[r * 12 + i], got[i], "text " + (r * 12 + i));
        }
      }
      assertTrue(batcher.batches() >= texts.size() / 8, "batches of at most 8 texts: " + batcher.batches());
    }
  }

  @Test
  void truncatingFromTheStartKeepsThePromptOffsetRight() {
    io.embed4j.tokenize.TokenizedText t = new io.embed4j.tokenize.TokenizedText(
        new long[] {101, 1, 2, 3, 4, 5, 6, 7, 102}, new long[9], 1, 1);
    io.embed4j.encode.PreparedText withPrompt = new io.embed4j.encode.PreparedText(t, 4); // [CLS] + 3 prompt tokens
    io.embed4j.encode.PreparedText right = withPrompt.truncate(6, false);
    assertEquals(List.of(101L, 1L, 2L, 3L, 4L, 102L), java.util.Arrays.stream(right.tokens().ids()).boxed().toList());
    assertEquals(4, right.pooledFrom());
    io.embed4j.encode.PreparedText left = withPrompt.truncate(6, true); // drops 3 content tokens: 1, 2, 3
    assertEquals(List.of(101L, 4L, 5L, 6L, 7L, 102L), java.util.Arrays.stream(left.tokens().ids()).boxed().toList());
    assertEquals(1, left.pooledFrom(), "the prompt was cut away: pool from the first content token");
    io.embed4j.encode.PreparedText noPrompt = new io.embed4j.encode.PreparedText(t, 0);
    assertEquals(0, noPrompt.truncate(6, true).pooledFrom(), "pooling that includes [CLS] still does");
    assertThrows(IllegalArgumentException.class, () -> withPrompt.truncate(2, true));
  }

  @Test
  void requestsWithDifferentOptionsShareBatchesAndKeepTheirOwnOptions() {
    EncodeOptions small = EncodeOptions.defaults().withDimensions(64);
    EncodeOptions raw = EncodeOptions.defaults().withNormalize(false);
    try (DynamicBatcher batcher = DynamicBatcher.start(model, DynamicBatcher.Config.defaults())) {
      CompletableFuture<float[][]> a = batcher.submitAll(texts.subList(0, 20), small);
      CompletableFuture<float[][]> b = batcher.submitAll(texts.subList(20, 40), raw);
      float[][] expectedA = model.encode(texts.subList(0, 20), small);
      float[][] expectedB = model.encode(texts.subList(20, 40), raw);
      for (int i = 0; i < 20; i++) {
        assertClose(expectedA[i], a.join()[i], "64-d text " + i);
        assertClose(expectedB[i], b.join()[i], "raw text " + i);
        assertEquals(VectorMath.norm(expectedB[i]), VectorMath.norm(b.join()[i]), 1e-4, "unnormalized norm " + i);
      }
    }
  }

  @Test
  void overLongInputsAreTruncatedEitherEndOrRejected() {
    String longText = String.join(" ", Collections.nCopies(400, "embedding"));
    String tail = "search";
    try (DynamicBatcher batcher = DynamicBatcher.start(model, DynamicBatcher.Config.defaults())) {
      BatchResult right = batcher.submit(BatchRequest.of(List.of(longText), EncodeOptions.defaults())).join();
      assertClose(model.encode(longText), right.vectors()[0], "right truncation equals encode");
      assertEquals(model.maxSeqLength(), right.tokens());

      BatchRequest left = new BatchRequest(List.of(BatchRequest.Input.text(longText + " " + tail)), EncodeOptions.defaults(), Truncation.LEFT, false);
      float[] kept = batcher.submit(left).join().vectors()[0];
      assertTrue(VectorMath.cosine(kept, right.vectors()[0]) < 0.99999f, "left truncation keeps the tail");

      BatchRequest reject = new BatchRequest(List.of(BatchRequest.Input.text("short"), BatchRequest.Input.text(longText)),
          EncodeOptions.defaults(), Truncation.REJECT, false);
      Throwable e = failure(batcher.submit(reject));
      assertInstanceOf(Embed4jException.InvalidInput.class, e);
      int length = model.tokenizer().tokenize(longText).length();
      assertTrue(e.getMessage().contains("input 1 has " + length + " tokens") && e.getMessage().contains("at most 256"), e.getMessage());
    }
  }

  @Test
  void tokenIdInputsMatchTheirTextAndBadIdsAreRejected() {
    long[] ids = model.tokenizer().tokenize("vector search").ids();
    try (DynamicBatcher batcher = DynamicBatcher.start(model, DynamicBatcher.Config.defaults())) {
      BatchRequest req = new BatchRequest(List.of(BatchRequest.Input.ids(ids)), EncodeOptions.defaults(), Truncation.RIGHT, false);
      assertClose(model.encode("vector search"), batcher.submit(req).join().vectors()[0], "ids");
      BatchRequest bad = new BatchRequest(List.of(BatchRequest.Input.ids(new long[] {101, 1_000_000, 102})), EncodeOptions.defaults(), Truncation.RIGHT, false);
      Throwable e = failure(batcher.submit(bad));
      assertTrue(e.getMessage().contains("token id 1000000") && e.getMessage().contains("0..30521"), e.getMessage());
    }
  }

  @Test
  void tokenEmbeddingsHaveOneRowPerToken() {
    try (DynamicBatcher batcher = DynamicBatcher.start(model, DynamicBatcher.Config.defaults())) {
      BatchRequest req = new BatchRequest(List.of(BatchRequest.Input.text("hello world"), BatchRequest.Input.text("a much longer sentence here")),
          EncodeOptions.defaults(), Truncation.RIGHT, true);
      BatchResult r = batcher.submit(req).join();
      assertNull(r.vectors());
      assertEquals(4, r.tokenEmbeddings()[0].length);
      assertEquals(7, r.tokenEmbeddings()[1].length);
      assertEquals(384, r.tokenEmbeddings()[1][6].length);
      assertEquals(11, r.tokens());
    }
  }

  @Test
  void beyondTheConcurrencyLimitSubmitFailsAtOnceWithOverloaded() {
    // One request of many texts holds the only permit while the encoder works on it.
    DynamicBatcher.Config one = new DynamicBatcher.Config(2048, 32, 1, 1);
    try (DynamicBatcher batcher = DynamicBatcher.start(model, one)) {
      List<String> many = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        many.addAll(texts);
      }
      CompletableFuture<float[][]> busy = batcher.submitAll(many, EncodeOptions.defaults());
      CompletableFuture<float[]> rejected = batcher.submit("one more");
      assertTrue(rejected.isCompletedExceptionally(), "fails at once, without queueing");
      assertInstanceOf(Embed4jException.Overloaded.class, failure(rejected));
      assertEquals(many.size(), busy.join().length);
      assertEquals(384, batcher.submit("after").join().length, "the permit comes back");
    }
  }

  @Test
  void cancelledRequestsAreDroppedFromTheQueueAndFreeTheirPermit() throws Exception {
    CountDownLatch firstBatch = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    DynamicBatcher.Listener stall = s -> {
      firstBatch.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    try (DynamicBatcher batcher = DynamicBatcher.start(model, DynamicBatcher.Config.defaults(), stall)) {
      CompletableFuture<float[]> first = batcher.submit("holds the batch thread");
      firstBatch.await();
      CompletableFuture<float[][]> cancelled = batcher.submitAll(texts, EncodeOptions.defaults());
      while (batcher.queueDepth() < texts.size()) {
        Thread.sleep(1);
      }
      cancelled.cancel(false);
      assertEquals(1, batcher.inFlight(), "the cancelled request's permit is back");
      release.countDown();
      first.join();
      assertEquals(384, batcher.submit("next").join().length);
      assertEquals(texts.size(), batcher.dropped());
      assertEquals(0, batcher.queueDepth());
    }
  }

  @Test
  void shutdownAnswersEverythingTakenAndRefusesNewRequests() throws Exception {
    DynamicBatcher batcher = DynamicBatcher.start(model, DynamicBatcher.Config.defaults());
    List<CompletableFuture<float[]>> taken = new ArrayList<>();
    for (String t : texts) {
      taken.add(batcher.submit(t));
    }
    batcher.shutdown();
    Throwable refused = failure(batcher.submit("too late"));
    assertInstanceOf(Embed4jException.Unavailable.class, refused);
    assertTrue(batcher.awaitTermination(Duration.ofSeconds(60)));
    for (CompletableFuture<float[]> f : taken) {
      assertEquals(384, f.join().length);
    }
    batcher.close();
  }

  @Test
  void badOptionsFailTheFutureNotTheCaller() {
    try (DynamicBatcher batcher = DynamicBatcher.start(model, DynamicBatcher.Config.defaults())) {
      Throwable e = failure(batcher.submit("x", EncodeOptions.defaults().withDimensions(1000)));
      assertTrue(e.getMessage().contains("dimensions 1000 exceeds the model's 384"), e.getMessage());
      e = failure(batcher.submit("x", EncodeOptions.defaults().withPromptName("query")));
      assertTrue(e.getMessage().contains("no prompt named 'query'"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> DynamicBatcher.start(model, new DynamicBatcher.Config(128, 32, 8, 1)));
  }
}

package io.embed4j.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.Embed4jException;
import io.embed4j.encode.EncodeStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The call batcher's contract on a call that records what it was given: requests queued while a
 * call runs share the next one (per key, within the item limit, never split), answers go back to
 * their own requests in order, cancelled requests never run, overload fails at once, close drains.
 */
class CallBatcherTest {
  /** A call that upper-cases its items, remembers each call, and can be held at its start. */
  private static final class Recorder implements CallBatcher.Call<String, String, String> {
    final List<List<String>> calls = new CopyOnWriteArrayList<>();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release;

    Recorder(boolean hold) {
      release = new CountDownLatch(hold ? 1 : 0);
    }

    @Override
    public CallBatcher.Result<String> apply(String key, List<String> items) {
      entered.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      calls.add(List.copyOf(items));
      if (items.contains("boom")) {
        throw new Embed4jException.InvalidInput("boom in " + key);
      }
      List<String> out = new ArrayList<>();
      for (String s : items) {
        out.add(key + ":" + s.toUpperCase());
      }
      return new CallBatcher.Result<>(out, new EncodeStats(items.size(), items.size(), items.size(), items.size(), 1, 0));
    }
  }

  @Test
  void requestsQueuedDuringACallShareTheNextCallPerKeyAndGetTheirOwnAnswers() throws Exception {
    Recorder call = new Recorder(true);
    List<DynamicBatcher.BatchStats> stats = new CopyOnWriteArrayList<>();
    try (CallBatcher<String, String, String> b = CallBatcher.start("test", new CallBatcher.Config(5, 64), call, stats::add)) {
      CompletableFuture<List<String>> first = b.submit("k", List.of("a"));
      assertTrue(call.entered.await(10, TimeUnit.SECONDS));
      CompletableFuture<List<String>> two = b.submit("k", List.of("b", "c"));
      CompletableFuture<List<String>> other = b.submit("other", List.of("x"));
      CompletableFuture<List<String>> three = b.submit("k", List.of("d", "e", "f")); // joins "two": 2 + 3 = 5 items, the limit
      CompletableFuture<List<String>> four = b.submit("k", List.of("g"));           // 6 > 5: the call after
      assertEquals(7, b.queueDepth());
      call.release.countDown();
      assertEquals(List.of("k:A"), first.get());
      assertEquals(List.of("k:B", "k:C"), two.get());
      assertEquals(List.of("k:D", "k:E", "k:F"), three.get());
      assertEquals(List.of("other:X"), other.get());
      assertEquals(List.of("k:G"), four.get());
      assertEquals(List.of(List.of("a"), List.of("b", "c", "d", "e", "f"), List.of("x"), List.of("g")), call.calls);
      assertEquals(4, b.calls());
      assertEquals(8, stats.stream().mapToInt(DynamicBatcher.BatchStats::texts).sum());
      assertEquals(0, b.queueDepth());
      assertEquals(0, b.inFlight());
    }
  }

  @Test
  void aRequestLargerThanTheLimitRunsAloneAndIsNeverSplit() throws Exception {
    Recorder call = new Recorder(false);
    try (CallBatcher<String, String, String> b = CallBatcher.start("test", new CallBatcher.Config(2, 64), call, s -> {})) {
      assertEquals(List.of("k:A", "k:B", "k:C"), b.submit("k", List.of("a", "b", "c")).get());
      assertEquals(List.of(List.of("a", "b", "c")), call.calls);
    }
  }

  @Test
  void aRequestWithANullFailsItsFutureAndHoldsNoPermit() throws Exception {
    Recorder call = new Recorder(false);
    try (CallBatcher<String, String, String> b = CallBatcher.start("test", new CallBatcher.Config(2, 1), call, s -> {})) {
      List<String> withNull = new ArrayList<>(List.of("a"));
      withNull.add(null);
      for (CompletableFuture<List<String>> f : List.of(b.submit(null, List.of("a")), b.submit("k", withNull), b.submit("k", null))) {
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertTrue(e.getCause() instanceof Embed4jException.InvalidInput, e.getCause().toString());
      }
      assertEquals(0, b.inFlight());
      assertEquals(List.of("k:A"), b.submit("k", List.of("a")).get(), "the one permit is still free");
      assertTrue(call.calls.equals(List.of(List.of("a"))), "nothing invalid reached the call: " + call.calls);
    }
  }

  @Test
  void cancelledRequestsNeverRunAndFailuresReachOnlyTheirCall() throws Exception {
    Recorder call = new Recorder(true);
    try (CallBatcher<String, String, String> b = CallBatcher.start("test", new CallBatcher.Config(100, 64), call, s -> {})) {
      CompletableFuture<List<String>> first = b.submit("k", List.of("a"));
      assertTrue(call.entered.await(10, TimeUnit.SECONDS));
      CompletableFuture<List<String>> cancelled = b.submit("k", List.of("never"));
      CompletableFuture<List<String>> failing = b.submit("bad", List.of("boom"));
      CompletableFuture<List<String>> fine = b.submit("k", List.of("z"));
      cancelled.cancel(false);
      assertEquals(3, b.inFlight(), "a cancelled request frees its permit at once");
      call.release.countDown();
      first.get();
      assertEquals(List.of("k:Z"), fine.get());
      CompletionException e = assertThrows(CompletionException.class, failing::join);
      assertInstanceOf(Embed4jException.InvalidInput.class, e.getCause());
      assertTrue(call.calls.stream().noneMatch(c -> c.contains("never")), call.calls.toString());
      assertEquals(1, b.dropped());
    }
  }

  @Test
  void beyondTheConcurrencyLimitSubmitFailsAtOnceAndCloseAnswersWhatWasTaken() throws Exception {
    Recorder call = new Recorder(true);
    CallBatcher<String, String, String> b = CallBatcher.start("test", new CallBatcher.Config(100, 3), call, s -> {});
    List<CompletableFuture<List<String>>> taken = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      taken.add(b.submit("k", List.of("t" + i)));
    }
    CompletableFuture<List<String>> refused = b.submit("k", List.of("over"));
    assertInstanceOf(Embed4jException.Overloaded.class, assertThrows(CompletionException.class, refused::join).getCause());
    b.shutdown();
    assertInstanceOf(Embed4jException.Unavailable.class,
        assertThrows(CompletionException.class, b.submit("k", List.of("late"))::join).getCause());
    call.release.countDown();
    b.close();
    for (int i = 0; i < 3; i++) {
      assertEquals(List.of("k:T" + i), taken.get(i).get());
    }
    assertTrue(!b.isRunning());
  }
}

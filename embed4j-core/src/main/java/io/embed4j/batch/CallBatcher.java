package io.embed4j.batch;

import io.embed4j.Embed4jException;
import io.embed4j.encode.EncodeStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Coalesces concurrent requests to a model whose library call batches by itself (a cross-encoder's
 * {@code score}, a sparse encoder's {@code encode}: they sort by length, batch by a token budget and
 * tokenize ahead of the encoder), so that many small requests share one call.
 *
 * <pre>{@code
 * CallBatcher<Side, String, SparseVector> b = CallBatcher.start("sparse", CallBatcher.Config.defaults(),
 *     (side, texts) -> { SparseEmbeddings e = encoder.encode(texts, side); return new Result<>(List.of(e.vectors()), e.stats()); },
 *     stats -> {});
 * CompletableFuture<List<SparseVector>> v = b.submit(Side.QUERY, List.of("what causes rain?"));   // never blocks
 * }</pre>
 *
 * One worker thread takes the oldest queued request and every later one with an equal key (the
 * options the call needs to share) while the items fit {@code maxBatchItems}; a request is never
 * split, and a request larger than the limit runs alone. As in {@link DynamicBatcher}:
 * {@code maxConcurrentRequests} permits (none free: the future fails at once with
 * {@link Embed4jException.Overloaded}), requests whose future is done (cancelled) are dropped
 * unrun, and {@link #close} answers everything taken before stopping.
 *
 * @param <K> what requests must share to run in one call (equal by {@code equals})
 * @param <I> one input item (a text, a pair)
 * @param <O> its output (a score, a vector)
 */
public final class CallBatcher<K, I, O> implements AutoCloseable {
  /**
   * Limits.
   *
   * @param maxBatchItems items per call at most (a single larger request runs alone)
   * @param maxConcurrentRequests requests taken and not yet answered; beyond it, submit fails with Overloaded
   */
  public record Config(int maxBatchItems, int maxConcurrentRequests) {
    public Config {
      if (maxBatchItems < 1) {
        throw new IllegalArgumentException("max batch items must be >= 1, got " + maxBatchItems);
      }
      if (maxConcurrentRequests < 1) {
        throw new IllegalArgumentException("max concurrent requests must be >= 1, got " + maxConcurrentRequests);
      }
    }

    /** 256 items per call, 512 concurrent requests. */
    public static Config defaults() {
      return new Config(256, 512);
    }
  }

  /** The library call: items of one key in, one output per item (in order) and what the call did out. */
  @FunctionalInterface
  public interface Call<K, I, O> {
    Result<O> apply(K key, List<I> items);
  }

  /** Outputs of one call, one per item in order, with its token counts. */
  public record Result<O>(List<O> outputs, EncodeStats stats) {
    public Result {
      outputs = List.copyOf(outputs);
      Objects.requireNonNull(stats, "stats");
    }
  }

  private final String name;
  private final Config config;
  private final Call<K, I, O> call;
  private final DynamicBatcher.Listener listener;
  private final RequestPermits permits;
  private final LinkedBlockingDeque<Job<K, I, O>> inbox = new LinkedBlockingDeque<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final Thread worker;
  private volatile boolean accepting = true;

  private CallBatcher(String name, Config config, Call<K, I, O> call, DynamicBatcher.Listener listener) {
    this.name = name;
    this.config = config;
    this.call = call;
    this.listener = listener;
    this.permits = new RequestPermits(config.maxConcurrentRequests());
    this.worker = Thread.ofPlatform().daemon().name("embed4j-" + name + "-batcher").unstarted(this::loop);
  }

  /** Starts the worker; {@code name} names its thread and its messages. */
  public static <K, I, O> CallBatcher<K, I, O> start(String name, Config config, Call<K, I, O> call, DynamicBatcher.Listener listener) {
    CallBatcher<K, I, O> b = new CallBatcher<>(name, config, call, listener);
    b.worker.start();
    return b;
  }

  public Config config() {
    return config;
  }

  /**
   * Takes a request. Never blocks and never throws for its content: overload, shutdown and the
   * call's own failures complete the future exceptionally. Cancelling the future drops the request
   * if its call has not started.
   */
  public CompletableFuture<List<O>> submit(K key, List<I> items) {
    if (!accepting) {
      return CompletableFuture.failedFuture(new Embed4jException.Unavailable("the " + name + " batcher is shutting down; it takes no new requests"));
    }
    if (key == null || items == null || items.stream().anyMatch(Objects::isNull)) {
      // checked before a permit is taken: a request that can never run must not hold one
      return CompletableFuture.failedFuture(new Embed4jException.InvalidInput("a " + name + " request needs a key and items without nulls"));
    }
    RequestPermits.Permit permit = permits.tryTake();
    if (permit == null) {
      return CompletableFuture.failedFuture(permits.overloaded(name + " requests"));
    }
    Job<K, I, O> job = new Job<>(key, List.copyOf(items), permit);
    job.future.whenComplete((r, e) -> permit.release());
    if (job.items.isEmpty()) {
      job.future.complete(List.of());
      return job.future;
    }
    queued.addAndGet(job.items.size());
    inbox.add(job);
    return job.future;
  }

  /** Items queued and not yet in a call. */
  public int queueDepth() {
    return queued.get();
  }

  /** Requests taken and not yet answered. */
  public int inFlight() {
    return permits.inFlight();
  }

  /** Library calls made so far. */
  public long calls() {
    return calls.get();
  }

  /** Requests dropped unrun because their future was already done (cancelled). */
  public long dropped() {
    return dropped.get();
  }

  public boolean isRunning() {
    return accepting && worker.isAlive();
  }

  /** Stops taking requests; those already taken are still answered. Does not wait. */
  public void shutdown() {
    accepting = false;
  }

  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    shutdown();
    Uninterruptibly.await(terminated);
  }

  private void loop() {
    try {
      while (true) {
        Job<K, I, O> first = inbox.poll(20, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (!accepting && inbox.isEmpty()) {
            return;
          }
          continue;
        }
        List<Job<K, I, O>> group = group(first);
        if (!group.isEmpty()) {
          run(group);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      Embed4jException stopped = new Embed4jException.Unavailable("the " + name + " batcher stopped before answering");
      for (Job<K, I, O> j; (j = inbox.poll()) != null; ) {
        j.future.completeExceptionally(stopped);
      }
      terminated.countDown();
    }
  }

  /** The oldest live request and every later one with its key, within the item limit; cancelled ones are dropped. */
  private List<Job<K, I, O>> group(Job<K, I, O> first) {
    List<Job<K, I, O>> group = new ArrayList<>();
    if (!skipIfDone(first)) {
      group.add(first);
    }
    int items = group.isEmpty() ? 0 : first.items.size();
    for (Iterator<Job<K, I, O>> it = inbox.iterator(); it.hasNext(); ) {
      Job<K, I, O> j = it.next();
      if (j.future.isDone()) {
        it.remove();
        skipIfDone(j);
      } else if (group.isEmpty()) {
        it.remove();
        group.add(j);
        items = j.items.size();
      } else if (j.key.equals(group.getFirst().key) && items + j.items.size() <= config.maxBatchItems()) {
        it.remove();
        group.add(j);
        items += j.items.size();
      }
      if (items >= config.maxBatchItems()) {
        break;
      }
    }
    queued.addAndGet(-items);
    return group;
  }

  private boolean skipIfDone(Job<K, I, O> j) {
    if (!j.future.isDone()) {
      return false;
    }
    dropped.incrementAndGet();
    queued.addAndGet(-j.items.size());
    return true;
  }

  private void run(List<Job<K, I, O>> group) {
    long started = System.nanoTime();
    List<I> items = new ArrayList<>();
    for (Job<K, I, O> j : group) {
      items.addAll(j.items);
    }
    Result<O> result;
    try {
      result = call.apply(group.getFirst().key, items);
      if (result.outputs().size() != items.size()) {
        throw new IllegalStateException(name + " call returned " + result.outputs().size() + " outputs for " + items.size() + " items");
      }
    } catch (RuntimeException e) {
      for (Job<K, I, O> j : group) {
        j.future.completeExceptionally(e);
      }
      return;
    }
    calls.incrementAndGet();
    EncodeStats s = result.stats();
    listener.onBatch(new DynamicBatcher.BatchStats(items.size(), s.realTokens(), s.paddedTokens(), System.nanoTime() - started));
    int at = 0;
    for (Job<K, I, O> j : group) {
      List<O> mine = result.outputs().subList(at, at + j.items.size());
      at += j.items.size();
      j.permit.release(); // free the permit first, so whoever sees the future complete can submit again at once
      j.future.complete(mine);
    }
  }

  private static final class Job<K, I, O> {
    final K key;
    final List<I> items;
    final CompletableFuture<List<O>> future = new CompletableFuture<>();
    final RequestPermits.Permit permit;

    Job(K key, List<I> items, RequestPermits.Permit permit) {
      this.key = Objects.requireNonNull(key, "key");
      this.items = items;
      this.permit = permit;
    }
  }
}

package io.embed4j.batch;

import io.embed4j.Embed4jException;
import io.embed4j.EmbeddingModel;
import io.embed4j.encode.EncodeOptions;
import io.embed4j.encode.PreparedText;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Coalesces concurrent requests into encoder batches by a token budget, so that many callers with
 * one text each get the throughput of offline batches.
 *
 * <pre>{@code
 * try (DynamicBatcher batcher = DynamicBatcher.start(model, DynamicBatcher.Config.defaults())) {
 *   CompletableFuture<float[]> v = batcher.submit("hello world");   // never blocks
 *   float[] vector = v.join();
 * }
 * }</pre>
 *
 * The layers follow text-embeddings-inference: {@link #submit} takes a permit (none free: the
 * future fails at once with {@link Embed4jException.Overloaded}, the queue never grows past
 * {@code maxConcurrentRequests} requests) and hands the request to a tokenization worker; the
 * worker tokenizes, truncates or rejects over-long inputs, and queues one entry per input. One
 * thread owns the queue: it cuts a batch of similar lengths that holds the oldest entry, under
 * {@code size x longest <= maxBatchTokens} and {@code size <= maxBatchSize}, drops entries
 * whose request was cancelled or has failed, runs the batch and completes the requests it
 * finishes. It cuts a batch only when an inference worker is idle, so whatever arrives while the
 * encoder runs joins the next batch; meanwhile new requests are tokenized.
 *
 * <p>Futures complete on an inference worker thread: attach heavy work with the {@code *Async} methods.
 * {@link #close} stops taking requests, finishes every request already taken, and stops the threads.
 */
public final class DynamicBatcher implements AutoCloseable {
  /** How many queued entries a batch is chosen from: enough to group similar lengths, bounded so cutting stays cheap. */
  private static final int WINDOW_PER_BATCH_TEXT = 4;

  /**
   * Padding a batch accepts per joining input, relative to the input's length, once it holds a
   * quarter of the max batch size. Measured on STS-B sentences from 64 clients: padding 14.6 % with
   * fixed groups of 16, 3-5 % at 0.15-0.25, CPU per text 7 % lower (docs/benchmarks.md, "Server").
   */
  private static final double PADDING_TOLERANCE = 0.2;

  /**
   * Batching limits.
   *
   * @param maxBatchTokens padded tokens per encoder batch (texts x longest); at least the model's max_seq_length
   * @param maxBatchSize texts per encoder batch at most
   * @param maxConcurrentRequests requests taken and not yet answered; beyond it, submit fails with Overloaded
   * @param tokenizationWorkers threads that tokenize requests while the encoder runs
   * @param inferenceWorkers batches run at once; more than one pays off with a model loaded with
   *     fewer intra-op threads than cores (e.g. 1 thread per batch, one worker per core)
   */
  public record Config(int maxBatchTokens, int maxBatchSize, int maxConcurrentRequests, int tokenizationWorkers,
      int inferenceWorkers) {
    public Config {
      if (maxBatchTokens < 1) {
        throw new IllegalArgumentException("max batch tokens must be >= 1, got " + maxBatchTokens);
      }
      if (maxBatchSize < 1) {
        throw new IllegalArgumentException("max batch size must be >= 1, got " + maxBatchSize);
      }
      if (maxConcurrentRequests < 1) {
        throw new IllegalArgumentException("max concurrent requests must be >= 1, got " + maxConcurrentRequests);
      }
      if (tokenizationWorkers < 1) {
        throw new IllegalArgumentException("tokenization workers must be >= 1, got " + tokenizationWorkers);
      }
      if (inferenceWorkers < 1) {
        throw new IllegalArgumentException("inference workers must be >= 1, got " + inferenceWorkers);
      }
    }

    public Config(int maxBatchTokens, int maxBatchSize, int maxConcurrentRequests, int tokenizationWorkers) {
      this(maxBatchTokens, maxBatchSize, maxConcurrentRequests, tokenizationWorkers, 1);
    }

    /** 2048 tokens and 32 texts per batch (as offline encoding), 512 concurrent requests, half the cores tokenizing, one batch at a time. */
    public static Config defaults() {
      return new Config(EncodeOptions.DEFAULT_BATCH_TOKENS, EncodeOptions.DEFAULT_MAX_BATCH_SIZE, 512,
          Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 1);
    }
  }

  /**
   * One encoder batch, as reported to a {@link Listener}.
   *
   * @param texts inputs in the batch
   * @param realTokens tokens that carry text
   * @param paddedTokens tokens the encoder processed, padding included
   * @param nanos time the encoder, pooling and post-processing took
   */
  public record BatchStats(int texts, long realTokens, long paddedTokens, long nanos) {}

  /** Told about each batch, on the batch thread: keep it cheap (a metrics update). */
  @FunctionalInterface
  public interface Listener {
    void onBatch(BatchStats stats);
  }

  private final EmbeddingModel model;
  private final Config config;
  private final Listener listener;
  private final RequestPermits permits;
  private final ExecutorService tokenizers;
  private final LinkedBlockingQueue<Entry> inbox = new LinkedBlockingQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final CountDownLatch terminated;
  private final Semaphore idleWorkers;
  private final BatchCutter cutter;
  private final LinkedBlockingQueue<List<Entry>> handoff = new LinkedBlockingQueue<>();
  private final Thread batchThread;
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean accepting = true;

  private DynamicBatcher(EmbeddingModel model, Config config, Listener listener) {
    if (config.maxBatchTokens() < model.maxSeqLength()) {
      throw new IllegalArgumentException("max batch tokens " + config.maxBatchTokens() + " is below model '" + model.name()
          + "' max_seq_length " + model.maxSeqLength() + ": its longest inputs would never fit a batch");
    }
    this.model = model;
    this.config = config;
    this.listener = listener;
    this.permits = new RequestPermits(config.maxConcurrentRequests());
    AtomicInteger n = new AtomicInteger();
    this.tokenizers = Executors.newFixedThreadPool(config.tokenizationWorkers(),
        r -> Thread.ofPlatform().daemon().name("embed4j-tokenize-" + n.incrementAndGet()).unstarted(r));
    this.batchThread = Thread.ofPlatform().daemon().name("embed4j-batcher").unstarted(this::loop);
    this.idleWorkers = new Semaphore(config.inferenceWorkers());
    this.cutter = new BatchCutter(config.maxBatchTokens(), config.maxBatchSize(), Math.max(1, config.maxBatchSize() / 4),
        PADDING_TOLERANCE);
    this.terminated = new CountDownLatch(1 + config.inferenceWorkers());
    for (int w = 0; w < config.inferenceWorkers(); w++) {
      workers.add(Thread.ofPlatform().daemon().name("embed4j-inference-" + (w + 1)).unstarted(this::work));
    }
  }

  /** Starts the tokenization workers and the batch thread for {@code model}; the caller keeps owning the model. */
  public static DynamicBatcher start(EmbeddingModel model, Config config) {
    return start(model, config, stats -> {});
  }

  public static DynamicBatcher start(EmbeddingModel model, Config config, Listener listener) {
    DynamicBatcher b = new DynamicBatcher(model, config, listener);
    b.workers.forEach(Thread::start);
    b.batchThread.start();
    return b;
  }

  public Config config() {
    return config;
  }

  /** Embeds one text with default options. Never blocks; cancelling the future drops the text if it has not run yet. */
  public CompletableFuture<float[]> submit(String text) {
    return submit(text, EncodeOptions.defaults());
  }

  public CompletableFuture<float[]> submit(String text, EncodeOptions options) {
    return derive(submit(BatchRequest.of(List.of(text), options)), r -> r.vectors()[0]);
  }

  /** Embeds texts as one request (one permit), in order. */
  public CompletableFuture<float[][]> submitAll(List<String> texts, EncodeOptions options) {
    return derive(submit(BatchRequest.of(texts, options)), BatchResult::vectors);
  }

  /**
   * Takes a request. Never blocks and never throws for the request's content: every failure
   * (overload, shutdown, an unknown prompt, an over-long input under {@link Truncation#REJECT})
   * completes the future exceptionally with an {@link Embed4jException}.
   */
  public CompletableFuture<BatchResult> submit(BatchRequest request) {
    if (!accepting) {
      return CompletableFuture.failedFuture(new Embed4jException.Unavailable("the batcher is shutting down; it takes no new requests"));
    }
    RequestPermits.Permit permit = permits.tryTake();
    if (permit == null) {
      return CompletableFuture.failedFuture(permits.overloaded("requests"));
    }
    Job job = new Job(request, permit);
    // Completions release the permit before completing; this catches the caller cancelling.
    job.future.whenComplete((r, e) -> permit.release());
    try {
      tokenizers.execute(() -> tokenize(job));
    } catch (RejectedExecutionException e) {
      job.fail(new Embed4jException.Unavailable("the batcher is shutting down; it takes no new requests"));
    }
    return job.future;
  }

  /** Inputs tokenized and waiting for a batch. */
  public int queueDepth() {
    return queued.get();
  }

  /** Requests taken and not yet answered. */
  public int inFlight() {
    return permits.inFlight();
  }

  /** Encoder batches run so far. */
  public long batches() {
    return batches.get();
  }

  /** Inputs dropped unrun because their request was cancelled (before or after tokenization) or had already failed. */
  public long dropped() {
    return dropped.get();
  }

  /** Whether it takes requests and its threads run. */
  public boolean isRunning() {
    return accepting && batchThread.isAlive() && workers.stream().allMatch(Thread::isAlive);
  }

  /** Stops taking requests; those already taken are still answered. Does not wait. */
  public void shutdown() {
    accepting = false;
    tokenizers.shutdown();
  }

  /** Waits until every request taken before {@link #shutdown} is answered and the threads have stopped. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** {@link #shutdown}, then waits for the requests in flight to be answered. */
  @Override
  public void close() {
    shutdown();
    Uninterruptibly.await(terminated);
  }

  // ---- tokenization workers

  private void tokenize(Job job) {
    if (job.future.isDone()) {
      dropped.addAndGet(job.request.inputs().size()); // cancelled while waiting for a worker
      return;
    }
    long started = System.nanoTime();
    List<BatchRequest.Input> inputs = job.request.inputs();
    PreparedText[] prepared = new PreparedText[inputs.size()];
    try {
      EncodeOptions options = job.request.options();
      model.checkOptions(options);
      List<String> texts = new ArrayList<>();
      for (BatchRequest.Input in : inputs) {
        if (in.text() != null) {
          texts.add(in.text());
        }
      }
      PreparedText[] tokenized = texts.isEmpty() ? new PreparedText[0] : model.prepare(texts, options);
      int vocab = model.tokenizer().vocabSize();
      for (int i = 0, t = 0; i < prepared.length; i++) {
        BatchRequest.Input in = inputs.get(i);
        PreparedText p = in.text() != null ? tokenized[t++] : checkIds(in.ids(), i, vocab);
        prepared[i] = fit(p, i, job.request.truncation());
      }
    } catch (RuntimeException e) {
      job.fail(e);
      return;
    }
    job.tokenizeNanos = System.nanoTime() - started;
    job.remaining = prepared.length;
    if (prepared.length == 0) {
      job.complete();
      return;
    }
    long now = System.nanoTime();
    queued.addAndGet(prepared.length);
    for (int i = 0; i < prepared.length; i++) {
      inbox.add(new Entry(job, i, prepared[i], now));
    }
  }

  private static PreparedText checkIds(long[] ids, int index, int vocab) {
    if (ids.length == 0) {
      throw new Embed4jException.InvalidInput("input " + index + " is an empty token-id list");
    }
    for (long id : ids) {
      if (id < 0 || id >= vocab) {
        throw new Embed4jException.InvalidInput("input " + index + " has token id " + id + ", outside the vocabulary (0.." + (vocab - 1) + ")");
      }
    }
    return PreparedText.ofIds(ids);
  }

  private PreparedText fit(PreparedText p, int index, Truncation truncation) {
    int max = model.maxSeqLength();
    if (p.length() <= max) {
      return p;
    }
    if (truncation == Truncation.REJECT) {
      throw new Embed4jException.InvalidInput("input " + index + " has " + p.length() + " tokens; model '" + model.name()
          + "' takes at most " + max + " (ask for truncation to embed the first " + max + ")");
    }
    return p.truncate(max, truncation == Truncation.LEFT);
  }

  // ---- the batch thread

  /** The queue owner: waits for an idle inference worker, then cuts it the best batch it can from what is queued. */
  private void loop() {
    ArrayDeque<Entry> pending = new ArrayDeque<>();
    try {
      while (true) {
        // Cut only when a worker can take the batch: what arrives while all are busy joins it.
        idleWorkers.acquire();
        List<Entry> batch = List.of();
        while (batch.isEmpty()) {
          if (pending.isEmpty()) {
            Entry first = inbox.poll(20, TimeUnit.MILLISECONDS);
            if (first == null) {
              if (!accepting && tokenizers.isTerminated() && inbox.isEmpty()) {
                return;
              }
              continue;
            }
            pending.add(first);
          }
          inbox.drainTo(pending);
          batch = cut(pending);
        }
        handoff.add(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      Embed4jException stopped = new Embed4jException.Unavailable("the batcher stopped before answering");
      for (Entry e : pending) {
        e.job.fail(stopped);
      }
      for (int w = 0; w < workers.size(); w++) {
        handoff.add(List.of()); // an empty batch tells a worker to stop
      }
      terminated.countDown();
    }
  }

  /** An inference worker: runs the batches the queue owner cuts, until it gets an empty one. */
  private void work() {
    try {
      for (List<Entry> batch; !(batch = handoff.take()).isEmpty(); ) {
        try {
          run(batch);
        } finally {
          idleWorkers.release();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      terminated.countDown();
    }
  }

  /**
   * Cuts the batch that holds the oldest live entry: the next few entries go to the {@link BatchCutter},
   * which joins the oldest with entries of similar length; the rest go back in arrival order and are
   * cut again with whatever arrives meanwhile. The oldest entry of each round is always served:
   * nobody starves.
   */
  private List<Entry> cut(ArrayDeque<Entry> pending) {
    int windowSize = Math.max(config.maxBatchSize() * WINDOW_PER_BATCH_TEXT, 1);
    List<Entry> window = new ArrayList<>(Math.min(windowSize, pending.size()));
    int skipped = 0;
    while (window.size() < windowSize && !pending.isEmpty()) {
      Entry e = pending.pollFirst();
      if (e.job.future.isDone()) {
        skipped++; // cancelled, or failed in an earlier batch
      } else {
        window.add(e);
      }
    }
    if (skipped > 0) {
      dropped.addAndGet(skipped);
      queued.addAndGet(-skipped);
    }
    if (window.isEmpty()) {
      return List.of();
    }
    int[] lengths = new int[window.size()];
    for (int k = 0; k < lengths.length; k++) {
      lengths[k] = window.get(k).text.length();
    }
    int[] taken = cutter.cut(lengths);
    boolean[] inBatch = new boolean[window.size()];
    List<Entry> batch = new ArrayList<>(taken.length);
    for (int k : taken) {
      inBatch[k] = true;
      batch.add(window.get(k));
    }
    for (int k = window.size() - 1; k >= 0; k--) {
      if (!inBatch[k]) {
        pending.addFirst(window.get(k));
      }
    }
    queued.addAndGet(-batch.size());
    return batch;
  }

  private void run(List<Entry> batch) {
    long started = System.nanoTime();
    long id = batches.incrementAndGet();
    List<Entry> pooled = new ArrayList<>(batch.size());
    List<Entry> tokens = new ArrayList<>();
    for (Entry e : batch) {
      (e.job.request.tokenEmbeddings() ? tokens : pooled).add(e);
    }
    float[][] vectors;
    float[][][] tokenRows;
    try {
      vectors = model.encodePrepared(pooled.stream().map(e -> e.text).toList());
      tokenRows = model.tokenEmbeddings(tokens.stream().map(e -> e.text).toList());
      for (int k = 0; k < pooled.size(); k++) {
        Entry e = pooled.get(k);
        vectors[k] = model.finish(vectors[k], e.job.request.options());
      }
    } catch (RuntimeException ex) {
      for (Entry e : batch) {
        e.job.fail(ex);
      }
      return;
    }
    long nanos = System.nanoTime() - started;
    listener.onBatch(new BatchStats(batch.size(), realTokens(batch), paddedTokens(pooled) + paddedTokens(tokens), nanos));
    for (int k = 0; k < pooled.size(); k++) {
      pooled.get(k).done(vectors[k], null, started, id, nanos);
    }
    for (int k = 0; k < tokens.size(); k++) {
      tokens.get(k).done(null, tokenRows[k], started, id, nanos);
    }
  }

  private static long realTokens(List<Entry> entries) {
    long n = 0;
    for (Entry e : entries) {
      n += e.text.length();
    }
    return n;
  }

  private static long paddedTokens(List<Entry> entries) {
    int longest = 0;
    for (Entry e : entries) {
      longest = Math.max(longest, e.text.length());
    }
    return (long) longest * entries.size();
  }

  /** A derived future whose cancellation reaches the request, so its queued inputs are dropped. */
  private static <T> CompletableFuture<T> derive(CompletableFuture<BatchResult> source, java.util.function.Function<BatchResult, T> f) {
    CompletableFuture<T> out = new CompletableFuture<>();
    source.whenComplete((r, e) -> {
      if (e != null) {
        out.completeExceptionally(e);
      } else {
        out.complete(f.apply(r));
      }
    });
    out.whenComplete((r, e) -> {
      if (out.isCancelled()) {
        source.cancel(false);
      }
    });
    return out;
  }

  /** A request in flight. After tokenization its fields change only under its own lock, by the inference workers. */
  private static final class Job {
    final BatchRequest request;
    final CompletableFuture<BatchResult> future = new CompletableFuture<>();
    final float[][] vectors;
    final float[][][] tokenRows;
    long tokenizeNanos;
    long queueNanos;
    long inferenceNanos;
    long tokens;
    long lastBatch;
    int remaining;

    private final RequestPermits.Permit permit;

    Job(BatchRequest request, RequestPermits.Permit permit) {
      this.request = request;
      this.permit = permit;
      int n = request.inputs().size();
      this.vectors = request.tokenEmbeddings() ? null : new float[n][];
      this.tokenRows = request.tokenEmbeddings() ? new float[n][][] : null;
    }

    /** Frees the permit first, so whoever sees the future complete can submit again at once. */
    void complete() {
      permit.release();
      future.complete(new BatchResult(vectors, tokenRows, tokens, tokenizeNanos, queueNanos, inferenceNanos));
    }

    void fail(Throwable e) {
      permit.release();
      future.completeExceptionally(e);
    }
  }

  /** One input of a request, tokenized and waiting for a batch. */
  private record Entry(Job job, int index, PreparedText text, long queuedAt) {
    void done(float[] vector, float[][] rows, long batchStarted, long batchId, long batchNanos) {
      synchronized (job) { // entries of one request may finish on different workers
        record(vector, rows, batchStarted, batchId, batchNanos);
      }
    }

    private void record(float[] vector, float[][] rows, long batchStarted, long batchId, long batchNanos) {
      job.queueNanos = Math.max(job.queueNanos, batchStarted - queuedAt);
      if (job.lastBatch != batchId) {
        job.lastBatch = batchId;
        job.inferenceNanos += batchNanos;
      }
      job.tokens += text.length();
      if (vector != null) {
        job.vectors[index] = vector;
      } else {
        job.tokenRows[index] = rows;
      }
      if (--job.remaining == 0) {
        job.complete();
      }
    }
  }
}

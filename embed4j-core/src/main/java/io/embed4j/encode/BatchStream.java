package io.embed4j.encode;

import io.embed4j.Embed4jException;
import io.embed4j.tokenize.TokenizedText;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Token-budget batches of inputs that are tokenized block by block ahead of the consumer: on a
 * helper thread when there are more inputs than one block, inline otherwise. The pipeline
 * {@code EmbeddingModel} runs, for models that are not sentence encoders (cross-encoders, SPLADE).
 *
 * <p>Inputs are indexed {@code 0..count-1} in the order the caller wants them tokenized (longest
 * first keeps padding small); each batch row's {@link BatchPlanner.Item#text()} is that index.
 *
 * <pre>{@code
 * try (BatchStream s = BatchStream.start(n, (from, to) -> tokenize(from, to), 2048, 32)) {
 *   for (BatchPlanner.Planned p; (p = s.next()) != null; ) { ... }
 * }
 * }</pre>
 */
public final class BatchStream implements AutoCloseable {
  /** Inputs tokenized per block: the unit of work handed to the tokenizer at once. */
  public static final int BLOCK = 512;

  private static final Object END = new Object();

  /** Tokenizes inputs {@code [from, to)}: one sequence per input, already truncated. */
  @FunctionalInterface
  public interface BlockTokenizer {
    TokenizedText[] tokenize(int from, int to);
  }

  private final int count;
  private final BlockTokenizer tokenizer;
  private final int batchTokens;
  private final int maxBatchSize;
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(64);
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private Iterator<BatchPlanner.Planned> inline;

  private BatchStream(int count, BlockTokenizer tokenizer, int batchTokens, int maxBatchSize) {
    if (batchTokens < 1 || maxBatchSize < 1) {
      throw new IllegalArgumentException("batch tokens and max batch size must be >= 1, got " + batchTokens + " and " + maxBatchSize);
    }
    this.count = count;
    this.tokenizer = tokenizer;
    this.batchTokens = batchTokens;
    this.maxBatchSize = maxBatchSize;
  }

  /** Starts tokenizing; with more than {@link #BLOCK} inputs, on a daemon helper thread. */
  public static BatchStream start(int count, BlockTokenizer tokenizer, int batchTokens, int maxBatchSize) {
    BatchStream s = new BatchStream(count, tokenizer, batchTokens, maxBatchSize);
    if (count <= BLOCK) {
      List<BatchPlanner.Planned> all = new ArrayList<>();
      if (count > 0) {
        all.addAll(s.plan(0, count));
      }
      s.inline = all.iterator();
    } else {
      Thread.ofPlatform().daemon().name("embed4j-tokenize").start(s::produce);
    }
    return s;
  }

  private List<BatchPlanner.Planned> plan(int from, int to) {
    TokenizedText[] tokens = tokenizer.tokenize(from, to);
    if (tokens.length != to - from) {
      throw new IllegalStateException("block tokenizer returned " + tokens.length + " sequences for " + (to - from) + " inputs");
    }
    List<BatchPlanner.Item> items = new ArrayList<>(tokens.length);
    for (int k = 0; k < tokens.length; k++) {
      items.add(new BatchPlanner.Item(from + k, 0, 1, tokens[k]));
    }
    return BatchPlanner.plan(items, batchTokens, maxBatchSize);
  }

  private void produce() {
    try {
      for (int from = 0; from < count && !cancelled.get(); from += BLOCK) {
        for (BatchPlanner.Planned p : plan(from, Math.min(count, from + BLOCK))) {
          put(p);
        }
      }
      put(END);
    } catch (Throwable t) {
      put(t);
    }
  }

  private void put(Object o) {
    try {
      while (!cancelled.get() && !queue.offer(o, 100, TimeUnit.MILLISECONDS)) {
        // wait for the consumer, or for cancellation
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The next batch, or null when all inputs have been handed out. */
  public BatchPlanner.Planned next() {
    if (inline != null) {
      return inline.hasNext() ? inline.next() : null;
    }
    try {
      Object o = queue.take();
      if (o == END) {
        queue.offer(END); // later calls see the end too
        return null;
      }
      if (o instanceof RuntimeException e) {
        throw e;
      }
      if (o instanceof Error e) {
        throw e;
      }
      if (o instanceof Throwable t) {
        throw new Embed4jException("tokenization failed: " + t.getMessage(), t);
      }
      return (BatchPlanner.Planned) o;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Embed4jException("interrupted while waiting for tokenized batches", e);
    }
  }

  /** Stops the helper thread; batches not yet taken are dropped. */
  @Override
  public void close() {
    cancelled.set(true);
  }
}

package io.embed4j.spark;

import io.embed4j.EmbeddingModel;
import io.embed4j.backend.BackendOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of this JVM: each is loaded once per executor, on its first task, and shared by every
 * task the executor runs afterwards (an {@link EmbeddingModel} is thread-safe). Loading costs a
 * second or more and hundreds of megabytes; doing it per partition, let alone per row, would cost
 * more than the embedding.
 *
 * <p>This is the one piece of process-wide state in embed4j-spark, and it has to be: an executor
 * JVM outlives the tasks it runs, and Spark gives no other place to keep an object between them.
 * Models live until the JVM exits.
 */
public final class ExecutorModels {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorModels.class);
  private static final Map<Key, EmbeddingModel> MODELS = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  private record Key(String model, BackendOptions backend) {}

  private ExecutorModels() {}

  /** The model the spec names, loaded on first use in this JVM with threads sized to the executor. */
  public static EmbeddingModel get(EmbedSpec spec) {
    int threads = spec.threads() > 0 ? spec.threads() : ExecutorCores.current().threadsPerTask();
    Key key = new Key(spec.model(), spec.backendOptions(threads));
    return MODELS.computeIfAbsent(key, k -> {
      long started = System.nanoTime();
      EmbeddingModel m = EmbeddingModel.load(k.model(), k.backend());
      LOADS.incrementAndGet();
      LOG.info("embed4j: loaded {} with {} inference thread(s) in {} ms", m, threads, (System.nanoTime() - started) / 1_000_000);
      return m;
    });
  }

  /** How many models this JVM has loaded so far (tests check that it is one per executor). */
  public static int loads() {
    return LOADS.get();
  }
}

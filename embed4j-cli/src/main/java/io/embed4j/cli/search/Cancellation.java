package io.embed4j.cli.search;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Ctrl-C (SIGINT, SIGTERM) during indexing: the shutdown hook asks the job to stop, then waits for
 * it to commit what it finished, so the next run resumes from there. kill -9 skips this; the last
 * periodic commit then stands.
 */
final class Cancellation implements BooleanSupplier, AutoCloseable {
  private static final long GRACE_SECONDS = 60;
  private final AtomicBoolean requested = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  Cancellation() {
    hook = new Thread(() -> {
      requested.set(true);
      System.err.println("\nembed4j: interrupted; committing what is done (the next run resumes)...");
      try {
        finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "embed4j-cancel");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  @Override
  public boolean getAsBoolean() {
    return requested.get();
  }

  /** The command is done (committed and reported): a pending Ctrl-C may now end the JVM. */
  @Override
  public void close() {
    finished.countDown();
    if (!requested.get()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
    }
  }
}

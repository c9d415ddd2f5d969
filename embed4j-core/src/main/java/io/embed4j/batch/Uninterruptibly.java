package io.embed4j.batch;

import java.util.concurrent.CountDownLatch;

/** Waits that an interrupt does not cut short; the interrupt is restored for the caller. */
final class Uninterruptibly {
  private Uninterruptibly() {}

  /** Used by the batchers' {@code close}, which must not return while requests it took are unanswered. */
  static void await(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}

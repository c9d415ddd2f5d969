package io.embed4j.batch;

import io.embed4j.Embed4jException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bound on requests in flight that {@link DynamicBatcher} and {@link CallBatcher} share:
 * {@code submit} takes a permit or fails at once, and each request gives its permit back exactly
 * once, whether it is answered, fails or is cancelled.
 */
final class RequestPermits {
  private final int limit;
  private final Semaphore free;

  RequestPermits(int limit) {
    this.limit = limit;
    this.free = new Semaphore(limit);
  }

  /** A permit for one request, or {@code null} when {@code limit} requests are already in flight. */
  Permit tryTake() {
    return free.tryAcquire() ? new Permit(free) : null;
  }

  /** Requests taken and not yet answered. */
  int inFlight() {
    return limit - free.availablePermits();
  }

  /** The failure of a request that found no permit; {@code requests} names them ("requests", "rerank requests"). */
  Embed4jException.Overloaded overloaded(String requests) {
    return new Embed4jException.Overloaded(limit + " " + requests + " are in flight, the most this server takes at once; retry later");
  }

  /** One request's permit. */
  static final class Permit {
    private final Semaphore free;
    private final AtomicBoolean released = new AtomicBoolean();

    private Permit(Semaphore free) {
      this.free = free;
    }

    /** Gives the permit back; later calls do nothing, since completion and the caller's cancellation may both try. */
    void release() {
      if (released.compareAndSet(false, true)) {
        free.release();
      }
    }
  }
}

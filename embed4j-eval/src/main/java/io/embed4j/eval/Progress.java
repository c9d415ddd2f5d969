package io.embed4j.eval;

/**
 * Where evaluators report progress on long steps (encoding, search). The CLI draws bars on a
 * terminal; the library default, {@link #NONE}, draws nothing.
 */
@FunctionalInterface
public interface Progress {
  Progress NONE = (label, total) -> Step.NONE;

  /** Starts a step of {@code total} units (texts, queries); close it when done. */
  Step start(String label, long total);

  /** One step in progress. */
  interface Step extends AutoCloseable {
    Step NONE = new Step() {
      @Override
      public void advance(long units) {}

      @Override
      public void close() {}
    };

    void advance(long units);

    @Override
    void close();
  }
}

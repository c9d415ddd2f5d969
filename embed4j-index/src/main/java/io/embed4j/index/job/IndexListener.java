package io.embed4j.index.job;

/** Hears what an {@link IndexJob} is doing: for progress bars and logs. All methods run on the job's thread. */
public interface IndexListener {
  /** After listing: sources to read, unchanged ones, and ones to delete. */
  default void planned(int toRead, int unchanged, int toDelete) {}

  /** A source was read: indexed (chunks > 0), found unchanged by hash, or skipped (note). */
  default void sourceDone(String sourceId, int chunks, String note) {}

  /** A commit made everything so far durable. */
  default void committed(int sourcesSoFar) {}

  IndexListener NONE = new IndexListener() {};
}

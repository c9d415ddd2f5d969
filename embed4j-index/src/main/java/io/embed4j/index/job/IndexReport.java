package io.embed4j.index.job;

import io.embed4j.encode.EncodeStats;
import java.util.List;

/**
 * What an indexing run did.
 *
 * @param added new sources indexed
 * @param updated changed sources re-indexed
 * @param deleted sources removed because they are gone
 * @param unchanged sources skipped because fingerprint or hash matched
 * @param skipped sources left out (binary, unreadable, empty), each with a note
 * @param chunks chunks embedded and written
 * @param notes what was skipped and why (at most {@link #MAX_NOTES})
 * @param listNanos time to list sources and compare them with the index
 * @param extractNanos time to read, hash, extract and chunk
 * @param encodeNanos time in the model
 * @param storeNanos time adding documents to the store (HNSW insertion happens here)
 * @param commitNanos time in commits (flush and fsync)
 * @param encodeStats what the model did
 * @param cancelled whether the run stopped early (what it did is committed)
 */
public record IndexReport(
    int added,
    int updated,
    int deleted,
    int unchanged,
    int skipped,
    long chunks,
    List<String> notes,
    long listNanos,
    long extractNanos,
    long encodeNanos,
    long storeNanos,
    long commitNanos,
    EncodeStats encodeStats,
    boolean cancelled) {
  public static final int MAX_NOTES = 200;

  public IndexReport {
    notes = List.copyOf(notes);
  }

  public long totalNanos() {
    return listNanos + extractNanos + encodeNanos + storeNanos + commitNanos;
  }

  public boolean changedAnything() {
    return added + updated + deleted > 0 || skipped > 0;
  }
}

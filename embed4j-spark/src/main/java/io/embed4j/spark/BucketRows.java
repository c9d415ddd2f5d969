package io.embed4j.spark;

import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A bucket's embedded rows as every output writes them: each id once (the same id always lands in
 * the same bucket, so this makes ids unique in the output), rows without an id or a vector left out,
 * and both counted for the bucket's {@link BucketResult}. Rows are (id, text) as the job selects them.
 */
final class BucketRows implements Iterator<BucketRows.Entry> {
  /** One row to write. */
  record Entry(String id, String text, float[] vector) {}

  private final PartitionEmbedder rows;
  private final Set<String> seen = new HashSet<>();
  private final long started = System.nanoTime();
  private Entry next;
  private long written;
  private long duplicates;
  private long missing;

  BucketRows(PartitionEmbedder rows) {
    this.rows = rows;
  }

  @Override
  public boolean hasNext() {
    while (next == null && rows.hasNext()) {
      PartitionEmbedder.Embedded e = rows.next();
      if (e.vector() == null || e.row().isNullAt(0)) {
        missing++;
      } else if (!seen.add(e.row().getString(0))) {
        duplicates++;
      } else {
        next = new Entry(e.row().getString(0), e.row().getString(1), e.vector());
      }
    }
    return next != null;
  }

  @Override
  public Entry next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Entry e = next;
    next = null;
    written++;
    return e;
  }

  /** What the bucket's task did, once every row is written. */
  BucketResult result(int bucket) {
    return BucketResult.done(bucket, written, duplicates, missing, rows.stats(), System.nanoTime() - started);
  }
}

package io.embed4j.spark;

import io.embed4j.EmbeddingModel;
import io.embed4j.encode.EncodeOptions;
import io.embed4j.encode.EncodeStats;
import io.embed4j.encode.Embeddings;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;

/**
 * Embeds one partition lazily, a block of rows at a time: it reads up to {@code blockSize} rows,
 * encodes their texts in one call (which sorts them by length and cuts token-budget batches), and
 * hands the rows back in their order with their vectors. Memory holds one block, whatever the
 * partition's size. A row whose text is null comes back with a null vector.
 */
final class PartitionEmbedder implements Iterator<PartitionEmbedder.Embedded> {
  /** A row and its vector (null when the row had no text). */
  record Embedded(Row row, float[] vector) {}

  private final Iterator<Row> rows;
  private final int textField;
  private final EmbeddingModel model;
  private final EncodeOptions options;
  private final int blockSize;
  private final List<Embedded> block = new ArrayList<>();
  private int next;
  private EncodeStats stats = EncodeStats.EMPTY;
  private long nullTexts;

  PartitionEmbedder(Iterator<Row> rows, int textField, EmbeddingModel model, EncodeOptions options, int blockSize) {
    this.rows = rows;
    this.textField = textField;
    this.model = model;
    this.options = options;
    this.blockSize = blockSize;
  }

  @Override
  public boolean hasNext() {
    if (next < block.size()) {
      return true;
    }
    fill();
    return next < block.size();
  }

  @Override
  public Embedded next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Embedded e = block.get(next);
    block.set(next++, null); // let the row and vector go as soon as the caller has them
    return e;
  }

  /** What the encode calls of this partition did so far. */
  EncodeStats stats() {
    return stats;
  }

  /** Rows seen so far whose text was null. */
  long nullTexts() {
    return nullTexts;
  }

  private void fill() {
    block.clear();
    next = 0;
    List<Row> read = new ArrayList<>(Math.min(blockSize, 1024));
    List<String> texts = new ArrayList<>(Math.min(blockSize, 1024));
    while (read.size() < blockSize && rows.hasNext()) {
      Row r = rows.next();
      read.add(r);
      if (r.isNullAt(textField)) {
        nullTexts++;
      } else {
        texts.add(r.getString(textField));
      }
    }
    if (read.isEmpty()) {
      return;
    }
    float[][] vectors = new float[0][];
    if (!texts.isEmpty()) {
      Embeddings e = model.embed(texts, options);
      stats = stats.plus(e.stats());
      vectors = e.vectors();
    }
    int v = 0;
    for (Row r : read) {
      block.add(new Embedded(r, r.isNullAt(textField) ? null : vectors[v++]));
    }
  }
}

package io.embed4j.train.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Cuts a shuffled epoch into batches in which no text appears twice (sentence-transformers'
 * NoDuplicatesBatchSampler): with in-batch negatives, a duplicate would be a "negative" equal to the
 * positive. An example that would repeat a text waits for a later batch. The order depends only on
 * the seed and the epoch, so a resumed run sees the same batches.
 */
public final class NoDuplicatesBatchSampler {
  private final TrainingSet data;
  private final int batchSize;
  private final long seed;

  public NoDuplicatesBatchSampler(TrainingSet data, int batchSize, long seed) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    this.data = data;
    this.batchSize = batchSize;
    this.seed = seed;
  }

  /** The batches of one epoch, as example indices. The last batch may be smaller. */
  public List<int[]> batches(int epoch) {
    List<Integer> order = new ArrayList<>(data.size());
    for (int i = 0; i < data.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
    LinkedList<Integer> remaining = new LinkedList<>(order);
    List<int[]> batches = new ArrayList<>();
    while (!remaining.isEmpty()) {
      List<Integer> batch = new ArrayList<>(batchSize);
      Set<String> seen = new HashSet<>();
      for (var it = remaining.iterator(); it.hasNext() && batch.size() < batchSize; ) {
        int i = it.next();
        List<String> texts = data.examples().get(i).texts();
        boolean clash = false;
        for (String t : texts) {
          if (seen.contains(t)) {
            clash = true;
            break;
          }
        }
        if (!clash) {
          seen.addAll(texts);
          batch.add(i);
          it.remove();
        }
      }
      batches.add(batch.stream().mapToInt(Integer::intValue).toArray());
    }
    return batches;
  }
}

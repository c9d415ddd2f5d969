package io.embed4j.vector;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Brute-force top-k search over vectors held in one row-major float array. It is the reference that
 * approximate indexes are measured against. Ties are broken by lower row index.
 */
public final class ExactSearch {
  private final float[] rows;
  private final int dimensions;
  private final int size;
  private final SimilarityFunction similarity;
  private final float[] rowNorms;

  /** A hit: row index in insertion order and its similarity (higher is better). */
  public record Hit(int row, float score) {}

  public ExactSearch(float[][] vectors, SimilarityFunction similarity) {
    this(flatten(vectors), vectors.length == 0 ? 0 : vectors[0].length, similarity);
  }

  public ExactSearch(float[] rows, int dimensions, SimilarityFunction similarity) {
    if (dimensions <= 0 && rows.length > 0) {
      throw new IllegalArgumentException("dimensions must be > 0, got " + dimensions);
    }
    if (dimensions > 0 && rows.length % dimensions != 0) {
      throw new IllegalArgumentException("matrix of " + rows.length + " floats is not a whole number of " + dimensions + "-d rows");
    }
    this.rows = rows;
    this.dimensions = dimensions;
    this.size = dimensions == 0 ? 0 : rows.length / dimensions;
    this.similarity = similarity;
    this.rowNorms = similarity == SimilarityFunction.COSINE ? norms(rows, dimensions, size) : null;
  }

  public int size() {
    return size;
  }

  public int dimensions() {
    return dimensions;
  }

  /** The {@code k} most similar rows to {@code query}, best first. */
  public List<Hit> search(float[] query, int k) {
    if (query.length != dimensions && size > 0) {
      throw new IllegalArgumentException("query has " + query.length + " dimensions, index has " + dimensions);
    }
    if (k <= 0) {
      throw new IllegalArgumentException("k must be > 0, got " + k);
    }
    float queryNorm = similarity == SimilarityFunction.COSINE ? Math.max(VectorMath.norm(query), 1e-8f) : 1f;
    // Min-heap of the best k: the root is the weakest kept hit.
    PriorityQueue<Hit> heap = new PriorityQueue<>(k + 1, (x, y) -> x.score() != y.score()
        ? Float.compare(x.score(), y.score()) : Integer.compare(y.row(), x.row()));
    float[] row = similarity == SimilarityFunction.EUCLIDEAN || similarity == SimilarityFunction.MANHATTAN ? new float[dimensions] : null;
    for (int r = 0; r < size; r++) {
      int offset = r * dimensions;
      float score;
      switch (similarity) {
        case DOT -> score = VectorMath.IMPL.dot(query, 0, rows, offset, dimensions);
        case COSINE -> score = VectorMath.IMPL.dot(query, 0, rows, offset, dimensions) / (queryNorm * Math.max(rowNorms[r], 1e-8f));
        default -> {
          System.arraycopy(rows, offset, row, 0, dimensions);
          score = similarity.compare(query, row);
        }
      }
      if (heap.size() < k) {
        heap.add(new Hit(r, score));
      } else if (score > heap.peek().score()) {
        heap.poll();
        heap.add(new Hit(r, score));
      }
    }
    List<Hit> out = new ArrayList<>(heap);
    out.sort((x, y) -> x.score() != y.score() ? Float.compare(y.score(), x.score()) : Integer.compare(x.row(), y.row()));
    return out;
  }

  static float[] flatten(float[][] vectors) {
    if (vectors.length == 0) {
      return new float[0];
    }
    int d = vectors[0].length;
    float[] flat = new float[vectors.length * d];
    for (int i = 0; i < vectors.length; i++) {
      if (vectors[i].length != d) {
        throw new IllegalArgumentException("vector " + i + " has " + vectors[i].length + " dimensions, expected " + d);
      }
      System.arraycopy(vectors[i], 0, flat, i * d, d);
    }
    return flat;
  }

  private static float[] norms(float[] rows, int dimensions, int size) {
    float[] norms = new float[size];
    for (int r = 0; r < size; r++) {
      norms[r] = (float) Math.sqrt(VectorMath.IMPL.dot(rows, r * dimensions, rows, r * dimensions, dimensions));
    }
    return norms;
  }
}

package io.embed4j.sparse;

import java.util.Arrays;

/**
 * A sparse vector over a vocabulary: the non-zero entries, indices strictly ascending. What a
 * SPLADE model makes of a text: each index a vocabulary term, each value its learned weight.
 */
public record SparseVector(int[] indices, float[] values) {
  public static final SparseVector EMPTY = new SparseVector(new int[0], new float[0]);

  public SparseVector {
    if (indices.length != values.length) {
      throw new IllegalArgumentException("sparse vector needs one value per index: " + indices.length + " indices, " + values.length + " values");
    }
    for (int i = 0; i < indices.length; i++) {
      if (indices[i] < 0 || (i > 0 && indices[i] <= indices[i - 1])) {
        throw new IllegalArgumentException("sparse vector indices must be >= 0 and strictly ascending; index " + i + " is "
            + indices[i] + (i > 0 ? " after " + indices[i - 1] : ""));
      }
    }
  }

  /** Number of non-zero entries. */
  public int size() {
    return indices.length;
  }

  /** The value at {@code index}, 0 where the vector has no entry. */
  public float get(int index) {
    int at = Arrays.binarySearch(indices, index);
    return at >= 0 ? values[at] : 0f;
  }

  /** Dot product: SPLADE's similarity. Merges the two index lists; linear in both sizes. */
  public float dot(SparseVector other) {
    int[] a = indices;
    int[] b = other.indices;
    double sum = 0;
    int i = 0;
    int j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] == b[j]) {
        sum += (double) values[i++] * other.values[j++];
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    return (float) sum;
  }

  /** Sum of the values (the L1 norm, values being non-negative for SPLADE). */
  public double sum() {
    double s = 0;
    for (float v : values) {
      s += v;
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SparseVector v && Arrays.equals(indices, v.indices) && Arrays.equals(values, v.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(indices) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("SparseVector{");
    for (int i = 0; i < Math.min(indices.length, 8); i++) {
      sb.append(i == 0 ? "" : ", ").append(indices[i]).append(':').append(values[i]);
    }
    return sb.append(indices.length > 8 ? ", ... " + indices.length + " entries}" : "}").toString();
  }
}

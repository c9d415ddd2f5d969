package io.embed4j.encode;

/** Float embeddings in input order, with the statistics of the call that made them. */
public record Embeddings(float[][] vectors, EncodeStats stats) {
  public int size() {
    return vectors.length;
  }

  public int dimensions() {
    return vectors.length == 0 ? 0 : vectors[0].length;
  }
}

package io.embed4j.rerank;

/** Two texts a cross-encoder reads together: a query and a document, or two sentences. */
public record TextPair(String first, String second) {
  public TextPair {
    if (first == null || second == null) {
      throw new IllegalArgumentException("a text pair needs two texts, got (" + first + ", " + second + ")");
    }
  }

  public static TextPair of(String first, String second) {
    return new TextPair(first, second);
  }
}

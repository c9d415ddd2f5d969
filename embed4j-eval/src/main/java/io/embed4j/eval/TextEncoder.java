package io.embed4j.eval;

import io.embed4j.encode.EncodeStats;
import io.embed4j.vector.SimilarityFunction;
import java.util.List;

/**
 * What the evaluators need from a model: full-width embeddings for texts in a role. Keeping this
 * small lets the metric code run on hand-made vectors in tests, with no model.
 */
public interface TextEncoder {
  /** Which side of a task a text is on; decides the prompt (see {@link TaskPrompts}). */
  enum Role { QUERY, DOCUMENT, SYMMETRIC }

  /**
   * Embeddings in input order, with the statistics of the encode that made them.
   *
   * @param cached true when the vectors were read from the cache rather than computed now; the
   *     stats then describe the original encode
   */
  record Encoded(float[][] vectors, EncodeStats stats, boolean cached) {}

  Encoded encode(List<String> texts, Role role);

  /** Display name of the model. */
  String name();

  /** Width of the full embeddings. */
  int dimensions();

  /** The similarity function the model was trained for. */
  SimilarityFunction similarity();

  /** Whether embeddings are L2-normalized, so truncated ones are re-normalized. */
  boolean normalizes();

  /**
   * A description of everything besides the texts that decides the vectors {@link #encode} returns
   * for {@code role}: model weights and configuration, prompt, encode options. Two encoders with
   * equal fingerprints must produce equal vectors. The cache keys on it.
   */
  String fingerprint(Role role);
}

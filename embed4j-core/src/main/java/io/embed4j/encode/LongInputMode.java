package io.embed4j.encode;

/** What to do with inputs longer than the model's max_seq_length. */
public enum LongInputMode {
  /** Keep the first max_seq_length tokens, as sentence-transformers does. */
  TRUNCATE,
  /** Embed overlapping windows over the whole token sequence and pool them by token-weighted mean. */
  CHUNK
}

package io.embed4j.batch;

/** What to do with an input longer than the model's max_seq_length. */
public enum Truncation {
  /** Fail the request, naming the input, its length and the limit. */
  REJECT,
  /** Keep the start, drop the end (sentence-transformers' behaviour; Hugging Face's truncation_side="right"). */
  RIGHT,
  /** Keep the end, drop the start (truncation_side="left"). */
  LEFT
}

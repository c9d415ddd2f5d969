package io.embed4j.batch;

import io.embed4j.encode.EncodeOptions;
import java.util.List;
import java.util.Objects;

/**
 * One caller's request to a {@link DynamicBatcher}: its inputs, how to encode them, what to do
 * with over-long ones, and whether it wants token embeddings instead of sentence embeddings.
 *
 * @param inputs texts or token-id sequences, answered in this order
 * @param options prompt, dimensions and normalization (the batching fields are ignored: the batcher batches)
 * @param truncation what to do with inputs longer than the model's max_seq_length
 * @param tokenEmbeddings return each input's token embeddings rather than one pooled vector
 */
public record BatchRequest(List<Input> inputs, EncodeOptions options, Truncation truncation, boolean tokenEmbeddings) {
  public BatchRequest {
    inputs = List.copyOf(inputs);
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(truncation, "truncation");
  }

  /** Sentence embeddings of texts, truncated as sentence-transformers does. */
  public static BatchRequest of(List<String> texts, EncodeOptions options) {
    return new BatchRequest(texts.stream().map(Input::text).toList(), options, Truncation.RIGHT, false);
  }

  /**
   * One input: a text, tokenized with the options' prompt, or token ids taken as they are (no
   * special tokens added, no prompt).
   */
  public record Input(String text, long[] ids) {
    public Input {
      if ((text == null) == (ids == null)) {
        throw new IllegalArgumentException("an input is either a text or token ids");
      }
    }

    public static Input text(String text) {
      return new Input(Objects.requireNonNull(text, "text"), null);
    }

    public static Input ids(long[] ids) {
      return new Input(null, ids.clone());
    }

    /** Characters of a text, or ids of a token sequence: what TEI reports as compute characters. */
    public int size() {
      return text != null ? text.length() : ids.length;
    }
  }
}

package io.embed4j.encode;

import io.embed4j.tokenize.TokenizedText;

/**
 * One input ready for the encoder: its tokens (prompt included, special tokens around it) and the
 * first token position that pooling counts, past a prompt the model leaves out of pooling.
 * Made by {@link io.embed4j.EmbeddingModel#prepare}; the dynamic batcher queues these.
 *
 * @param tokens the token sequence, special tokens included, possibly longer than the model takes
 * @param pooledFrom index of the first token pooling counts (0 unless the model excludes its prompt)
 */
public record PreparedText(TokenizedText tokens, int pooledFrom) {
  public PreparedText {
    if (pooledFrom < 0) {
      throw new IllegalArgumentException("pooledFrom must be >= 0, got " + pooledFrom);
    }
  }

  /** Token ids taken as they are: no special tokens added, nothing left out of pooling. */
  public static PreparedText ofIds(long[] ids) {
    return new PreparedText(new TokenizedText(ids.clone(), new long[ids.length], 0, 0), 0);
  }

  public int length() {
    return tokens.length();
  }

  /**
   * At most {@code maxLength} tokens, special tokens kept at both ends. {@code keepEnd} drops
   * content from the start instead of the end (Hugging Face's truncation_side="left").
   */
  public PreparedText truncate(int maxLength, boolean keepEnd) {
    if (tokens.length() <= maxLength) {
      return this;
    }
    int span = maxLength - tokens.prefixLength() - tokens.suffixLength();
    if (span < 1) {
      throw new IllegalArgumentException("cannot truncate to " + maxLength + " tokens: the special tokens alone take "
          + (tokens.prefixLength() + tokens.suffixLength()));
    }
    if (!keepEnd) {
      return new PreparedText(tokens.window(0, span), Math.min(pooledFrom, maxLength - 1));
    }
    int dropped = tokens.contentLength() - span;
    int prefix = tokens.prefixLength();
    // The prompt sits at the start: dropping content from the start eats into it first.
    int from = pooledFrom <= prefix ? pooledFrom : Math.max(prefix, pooledFrom - dropped);
    return new PreparedText(tokens.window(dropped, span), Math.min(from, maxLength - 1));
  }
}

package io.embed4j.index.chunk;

import io.embed4j.tokenize.TextTokenizer;

/** Counts the tokens a text costs the model, special tokens excluded. */
@FunctionalInterface
public interface TokenCounter {
  int count(String text);

  /** The model's own tokenizer: chunk sizes are in the tokens the encoder will see. */
  static TokenCounter of(TextTokenizer tokenizer) {
    return tokenizer::countContentTokens;
  }

  /** Whitespace-separated words: a stand-in for tests of the chunker's logic. */
  TokenCounter WORDS = text -> {
    String t = text.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  };
}

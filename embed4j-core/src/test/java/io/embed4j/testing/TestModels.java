package io.embed4j.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Small model files of embed4j's own for tests: a BERT-style WordPiece tokenizer over 66 tokens. */
public final class TestModels {
  /** Vocabulary size of {@link #tinyTokenizer}: ids 0..65; [PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3, [MASK]=4. */
  public static final int TINY_VOCAB = 66;
  public static final long PAD = 0;
  public static final long UNK = 1;
  public static final long CLS = 2;
  public static final long SEP = 3;

  private TestModels() {}

  /**
   * Writes the tiny tokenizer to {@code dir/tokenizer.json}: lowercasing BERT normalizer, BERT
   * pre-tokenizer, WordPiece over common English words ("the", "cat", "dog", "sat", "mat", "##s", ...)
   * and BERT's single and pair templates.
   */
  public static Path tinyTokenizer(Path dir) {
    Path file = dir.resolve("tokenizer.json");
    try (InputStream in = TestModels.class.getResourceAsStream("tiny-bert-tokenizer.json")) {
      Files.createDirectories(dir);
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.embed4j.index.extract;

import java.io.IOException;

/**
 * Turns a file's bytes into {@link Block}s. One implementation per format; {@link Extractors} picks
 * one by file name. An extractor throws {@link Unreadable} for files it cannot read (binary, bad
 * encoding, broken PDF): the indexing job skips them with that message and goes on.
 */
public interface Extractor {
  /** Short format name, stored with each chunk. */
  String format();

  Extracted extract(String fileName, byte[] content) throws IOException;

  /** A file that cannot be read as this format; the message says why, for the skip note. */
  final class Unreadable extends IOException {
    public Unreadable(String message) {
      super(message);
    }

    public Unreadable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

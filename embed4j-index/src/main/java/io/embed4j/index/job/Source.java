package io.embed4j.index.job;

import io.embed4j.index.extract.Extracted;
import io.embed4j.index.extract.Extractors;
import java.io.IOException;

/** Something to index: a file, or one record of a corpus. */
public interface Source {
  /** Unique key in the index. */
  String id();

  /** The file it lives in, for results. */
  String path();

  /** A cheap change signal (size and modification time), or null when there is none and the hash decides. */
  String fingerprint();

  /** The bytes whose hash decides whether the source changed. */
  byte[] content() throws IOException;

  /**
   * The extracted blocks, or {@link io.embed4j.index.extract.Extractor.Unreadable} when the source
   * cannot be read as text (the job skips it with that note).
   */
  Extracted extract(byte[] content, Extractors extractors) throws IOException;
}

package io.embed4j.cli.search;

import io.embed4j.cli.ProgressBar;
import io.embed4j.index.job.IndexListener;

/** Shows indexing progress on stderr when it is a terminal (through {@link ProgressBar}). */
final class ProgressListener implements IndexListener, AutoCloseable {
  private final boolean quiet;
  private ProgressBar bar;

  ProgressListener(boolean quiet) {
    this.quiet = quiet;
  }

  @Override
  public void planned(int toRead, int unchanged, int toDelete) {
    if (toRead > 0) {
      bar = new ProgressBar("index", toRead, quiet);
    }
  }

  @Override
  public void sourceDone(String sourceId, int chunks, String note) {
    if (bar != null) {
      bar.advance(1);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}

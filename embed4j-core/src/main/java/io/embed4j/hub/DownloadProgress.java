package io.embed4j.hub;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr for one file, redrawn at most every 200 ms; drawn only when
 * enabled and the file is big enough to be worth watching. Otherwise every call does nothing.
 */
final class DownloadProgress implements AutoCloseable {
  /** Files smaller than this download without a bar. */
  static final long MIN_SIZE = 1L << 20;
  private static final int WIDTH = 30;

  private final PrintStream out;
  private final String label;
  private final long total;
  private final boolean enabled;
  private final long startedNanos = System.nanoTime();
  private final long startBytes;
  private long done;
  private long lastDraw;

  DownloadProgress(PrintStream out, String label, long total, long alreadyDone, boolean enabled) {
    this.out = out;
    this.label = label;
    this.total = total;
    this.enabled = enabled && (total < 0 || total >= MIN_SIZE);
    this.done = alreadyDone;
    this.startBytes = alreadyDone;
    this.lastDraw = startedNanos; // first draw after 200 ms, when the rate means something
  }

  void advance(long bytes) {
    done += bytes;
    long now = System.nanoTime();
    if (enabled && now - lastDraw > 200_000_000L) {
      lastDraw = now;
      draw();
    }
  }

  /** Starts over (the server ignored a resume request). */
  void reset() {
    done = 0;
  }

  private void draw() {
    double seconds = (System.nanoTime() - startedNanos) / 1e9;
    double rate = seconds > 0 ? (done - startBytes) / seconds : 0;
    StringBuilder sb = new StringBuilder("\r").append(label).append(' ');
    if (total > 0) {
      int filled = (int) Math.min(WIDTH, WIDTH * done / total);
      sb.append('[').append("#".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ")
          .append(megabytes(done)).append('/').append(megabytes(total)).append(" MB");
    } else {
      sb.append(megabytes(done)).append(" MB");
    }
    sb.append(' ').append(megabytes((long) rate)).append(" MB/s  ");
    out.print(sb);
    out.flush();
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
  }

  @Override
  public void close() {
    if (enabled) {
      draw();
      out.println();
    }
  }
}

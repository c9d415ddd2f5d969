package io.embed4j.cli;

import java.io.PrintStream;

/**
 * A one-line progress bar on stderr, redrawn at most every 200 ms. Silent when stderr is not a
 * terminal (no console) or when asked to be quiet, so logs and pipes stay clean.
 */
public final class ProgressBar implements AutoCloseable {
  private final PrintStream out;
  private final String label;
  private final long total;
  private final boolean enabled;
  private final long started = System.nanoTime();
  private long done;
  private long lastDraw;

  public ProgressBar(String label, long total, boolean quiet) {
    this.out = System.err;
    this.label = label;
    this.total = total;
    this.enabled = !quiet && Boolean.getBoolean("embed4j.tty");
  }

  public void advance(long n) {
    done += n;
    long now = System.nanoTime();
    if (enabled && now - lastDraw > 200_000_000L) {
      lastDraw = now;
      draw();
    }
  }

  private void draw() {
    double seconds = (System.nanoTime() - started) / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    StringBuilder sb = new StringBuilder("\r").append(label).append(' ');
    if (total > 0) {
      int width = 30;
      int filled = (int) Math.min(width, width * done / total);
      sb.append('[').append("#".repeat(filled)).append(" ".repeat(width - filled)).append("] ")
          .append(done).append('/').append(total);
      if (rate > 0 && done < total) {
        sb.append(String.format(" eta %.0fs", (total - done) / rate));
      }
    } else {
      sb.append(done);
    }
    sb.append(String.format(" %.0f/s  ", rate));
    out.print(sb);
    out.flush();
  }

  @Override
  public void close() {
    if (enabled) {
      draw();
      out.println();
    }
  }
}

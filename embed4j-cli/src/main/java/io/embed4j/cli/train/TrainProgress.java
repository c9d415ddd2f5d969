package io.embed4j.cli.train;

import io.embed4j.train.TrainListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Training progress on stderr: on a terminal, one bar redrawn in place with loss, learning rate,
 * tokens/s and time left; otherwise (logs, nohup) one line every {@code every} steps. Evaluations
 * and checkpoints always get a line.
 */
final class TrainProgress implements TrainListener {
  private final PrintStream out = System.err;
  private final boolean tty = Boolean.getBoolean("embed4j.tty");
  private final boolean quiet;
  private final int every;
  private long started;
  private int startStep;
  private long tokens;
  private double smoothLoss = Double.NaN;

  TrainProgress(boolean quiet, int every) {
    this.quiet = quiet;
    this.every = Math.max(1, every);
  }

  @Override
  public void onStart(int totalSteps, int startStep) {
    this.started = System.nanoTime();
    this.startStep = startStep;
    if (!quiet && startStep > 0) {
      out.printf(Locale.ROOT, "resuming at step %d of %d%n", startStep, totalSteps);
    }
  }

  @Override
  public void onStep(StepLog log, int totalSteps) {
    tokens += log.tokens();
    smoothLoss = Double.isNaN(smoothLoss) ? log.loss() : 0.9 * smoothLoss + 0.1 * log.loss();
    if (quiet) {
      return;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    int done = log.step() - startStep;
    double eta = done > 0 ? seconds / done * (totalSteps - log.step()) : 0;
    String stats = String.format(Locale.ROOT, "%d/%d loss %.4f (avg %.4f) lr %.2e %.0f tok/s eta %s", log.step(), totalSteps, log.loss(),
        smoothLoss, log.learningRate(), tokens / Math.max(seconds, 1e-9), duration(eta));
    if (tty) {
      int width = 30;
      int filled = (int) ((long) width * log.step() / totalSteps);
      out.print("\rtrain [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + stats + "  ");
      if (log.step() == totalSteps) {
        out.println();
      }
    } else if (log.step() % every == 0 || log.step() == totalSteps) {
      out.println("train " + stats);
    }
    out.flush();
  }

  @Override
  public void onEval(EvalLog log) {
    if (quiet) {
      return;
    }
    StringBuilder sb = new StringBuilder(tty ? "\n" : "").append("eval step ").append(log.step());
    log.metrics().forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
    out.println(sb);
  }

  @Override
  public void onCheckpoint(int step, Path dir) {
    if (!quiet && !tty) {
      out.println("checkpoint " + dir);
    }
  }

  @Override
  public void onSkippedStep(int step, java.util.List<String> parameters) {
    // Always shown, even with --quiet: a skipped update changes the run.
    out.println((tty ? "\n" : "") + TrainListener.skippedStepMessage(step, parameters));
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
        : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }
}

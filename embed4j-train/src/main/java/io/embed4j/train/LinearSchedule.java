package io.embed4j.train;

/**
 * Learning rate: linear warm-up from 0 over the first {@code warmupSteps}, then linear decay to 0 at
 * {@code totalSteps} (Hugging Face's get_linear_schedule_with_warmup, shifted by one step during
 * warm-up so that the first step already learns and the last one still does).
 */
public record LinearSchedule(double peak, int warmupSteps, int totalSteps) {
  public LinearSchedule {
    if (!(peak > 0)) {
      throw new IllegalArgumentException("learning rate must be > 0, got " + peak);
    }
    if (warmupSteps < 0 || totalSteps < 1 || warmupSteps > totalSteps) {
      throw new IllegalArgumentException("need 0 <= warmupSteps <= totalSteps and totalSteps >= 1, got " + warmupSteps + " and " + totalSteps);
    }
  }

  /** The rate for step {@code step} (0-based): {@code (s+1)/warmup} during warm-up, {@code (total-s)/(total-warmup)} after. */
  public double rate(int step) {
    if (step < warmupSteps) {
      return peak * (step + 1) / warmupSteps;
    }
    return peak * Math.max(0.0, (double) (totalSteps - step) / (totalSteps - warmupSteps));
  }
}

package io.embed4j.train;

import io.embed4j.Embed4jException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies an optimizer step only when the gradients are finite. One overflowing batch must not poison
 * the weights: its update is skipped (gradients zeroed, the listener told where), as mixed-precision
 * trainers skip overflowing steps; several in a row mean the run itself diverges, and it stops.
 */
public final class FiniteStepGuard {
  static final int MAX_CONSECUTIVE_SKIPPED_STEPS = 3;

  private int consecutive;
  private final Map<Integer, List<String>> skipped = new TreeMap<>();

  /** Steps {@code optimizer} at {@code lr} when {@code gradNorm} is finite; otherwise skips step {@code step} (1-based). */
  public void step(AdamW optimizer, double gradNorm, double lr, int step, TrainListener listener) {
    if (Double.isFinite(gradNorm)) {
      optimizer.step(lr);
      consecutive = 0;
      return;
    }
    List<String> culprits = optimizer.nonFiniteGradients();
    optimizer.zeroGradients();
    skipped.put(step, List.copyOf(culprits));
    listener.onSkippedStep(step, culprits);
    if (++consecutive >= MAX_CONSECUTIVE_SKIPPED_STEPS) {
      throw new Embed4jException("the gradients were not finite for " + consecutive + " steps in a row (last at step " + step
          + ", in " + culprits.subList(0, Math.min(3, culprits.size())) + "); lower --lr");
    }
  }

  /** The steps skipped so far (1-based), each with every parameter whose gradient was not finite. */
  public Map<Integer, List<String>> skipped() {
    return Collections.unmodifiableMap(skipped);
  }
}

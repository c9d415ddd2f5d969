package io.embed4j.train.eval;

import io.embed4j.train.TextEmbedder;
import java.util.Map;

/**
 * Evaluates the model being trained on a development set. Returns flat metric names to values
 * (sentence-transformers' evaluator contract); {@link #primaryMetric()} names the one to plot.
 */
public interface DevEvaluator {
  Map<String, Double> evaluate(TextEmbedder embedder);

  String primaryMetric();
}

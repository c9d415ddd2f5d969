package io.embed4j.train.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.embed4j.Embed4jException;
import io.embed4j.train.TrainListener;
import io.embed4j.train.TrainResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The final report of a training run: {@code training-report.json} (settings, totals, throughput,
 * the loss of every step and every evaluation) and two charts, {@code loss.png} (loss per step with
 * a moving average) and {@code eval.png} (dev metrics per evaluation).
 */
public final class TrainReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainReport() {}

  /** Writes the report files into {@code dir}; {@code summary} holds settings and throughput figures. */
  public static void write(Path dir, TrainResult result, Map<String, Object> summary) {
    try {
      Files.createDirectories(dir);
      ObjectNode root = JSON.createObjectNode();
      ObjectNode s = root.putObject("summary");
      summary.forEach((k, v) -> s.set(k, JSON.valueToTree(v)));
      ArrayNode steps = root.putArray("steps");
      for (TrainListener.StepLog l : result.steps()) {
        steps.addObject().put("step", l.step()).put("epoch", l.epoch()).put("loss", l.loss()).put("lr", l.learningRate())
            .put("grad_norm", l.gradNorm()).put("tokens", l.tokens()).put("seconds", l.seconds());
      }
      ObjectNode skipped = root.putObject("skipped_steps");
      result.skippedSteps().forEach((step, parameters) -> {
        ArrayNode names = skipped.putArray(Integer.toString(step));
        parameters.forEach(names::add);
      });
      ArrayNode evals = root.putArray("evals");
      for (TrainListener.EvalLog e : result.evals()) {
        ObjectNode o = evals.addObject().put("step", e.step());
        e.metrics().forEach(o::put);
      }
      Files.write(dir.resolve("training-report.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
      List<double[]> loss = new ArrayList<>();
      for (TrainListener.StepLog l : result.steps()) {
        loss.add(new double[] {l.step(), l.loss()});
      }
      LineChart.Series raw = new LineChart.Series("loss", loss);
      LineChart.Series smooth = new LineChart.Series("moving average (" + window(loss.size()) + " steps)", movingAverage(loss, window(loss.size())));
      LineChart.write(dir.resolve("loss.png"), "Training loss", "step", "loss", List.of(raw, smooth));
      if (!result.evals().isEmpty()) {
        List<LineChart.Series> series = new ArrayList<>();
        for (String metric : result.evals().get(0).metrics().keySet()) {
          List<double[]> pts = new ArrayList<>();
          for (TrainListener.EvalLog e : result.evals()) {
            Double v = e.metrics().get(metric);
            if (v != null) {
              pts.add(new double[] {e.step(), v});
            }
          }
          series.add(new LineChart.Series(metric, pts));
        }
        LineChart.write(dir.resolve("eval.png"), "Dev-set evaluation", "step", "score", series);
      }
    } catch (IOException e) {
      throw new Embed4jException("cannot write the training report to " + dir + ": " + e.getMessage(), e);
    }
  }

  private static int window(int n) {
    return Math.max(1, Math.min(50, n / 10));
  }

  static List<double[]> movingAverage(List<double[]> pts, int window) {
    List<double[]> out = new ArrayList<>();
    double sum = 0;
    for (int i = 0; i < pts.size(); i++) {
      sum += pts.get(i)[1];
      if (i >= window) {
        sum -= pts.get(i - window)[1];
      }
      out.add(new double[] {pts.get(i)[0], sum / Math.min(i + 1, window)});
    }
    return out;
  }
}

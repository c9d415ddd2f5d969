package io.embed4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.embed4j.Embed4jException;
import io.embed4j.modules.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Training checkpoints: {@code ROOT/checkpoint-STEP/} holding {@code model.safetensors} (weights),
 * {@code optimizer.safetensors} (AdamW moments) and {@code trainer_state.json} (step, run
 * fingerprint, loss and eval history). A checkpoint is written under a temporary name and renamed
 * when complete, so a kill mid-write leaves the previous checkpoint intact; only checkpoints with a
 * state file count.
 */
public final class Checkpoints {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "checkpoint-";

  private Checkpoints() {}

  /** A checkpoint read back. */
  public record Loaded(Path dir, int step, Map<String, SafeTensors.Tensor> weights, Map<String, SafeTensors.Tensor> optimizer,
      JsonNode state) {}

  public static Path write(Path root, int step, Map<String, SafeTensors.Tensor> weights, Map<String, SafeTensors.Tensor> optimizer,
      ObjectNode state, int keep) {
    Path dir = root.resolve(PREFIX + step);
    Path tmp = root.resolve(".tmp-" + PREFIX + step);
    try {
      Files.createDirectories(root);
      deleteTree(tmp);
      Files.createDirectories(tmp);
      SafeTensors.write(tmp.resolve("model.safetensors"), weights);
      SafeTensors.write(tmp.resolve("optimizer.safetensors"), optimizer);
      Files.write(tmp.resolve("trainer_state.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
      deleteTree(dir);
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      List<Path> all = list(root);
      for (int i = 0; i < all.size() - keep; i++) {
        deleteTree(all.get(i));
      }
    } catch (IOException e) {
      throw new Embed4jException("cannot write checkpoint " + dir + ": " + e.getMessage(), e);
    }
    return dir;
  }

  /** Complete checkpoints under root, oldest first. */
  public static List<Path> list(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> p.getFileName().toString().matches(PREFIX + "\\d+"))
          .filter(p -> Files.isRegularFile(p.resolve("trainer_state.json")))
          .sorted(Comparator.comparingInt(Checkpoints::stepOf))
          .toList();
    } catch (IOException e) {
      throw new Embed4jException("cannot list checkpoints in " + root + ": " + e.getMessage(), e);
    }
  }

  public static Optional<Path> latest(Path root) {
    List<Path> all = list(root);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  static int stepOf(Path dir) {
    return Integer.parseInt(dir.getFileName().toString().substring(PREFIX.length()));
  }

  public static Loaded read(Path dir) {
    try {
      JsonNode state = JSON.readTree(Files.readAllBytes(dir.resolve("trainer_state.json")));
      return new Loaded(dir, state.path("step").asInt(), SafeTensors.read(dir.resolve("model.safetensors")),
          SafeTensors.read(dir.resolve("optimizer.safetensors")), state);
    } catch (IOException e) {
      throw new Embed4jException.InvalidInput("cannot read checkpoint " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The {@code trainer_state.json} fields every trainer writes: the step reached, AdamW's step
   * count, the run's fingerprint and the step history. A trainer adds its own fields after these
   * (the embedding trainer adds its evals).
   */
  public static ObjectNode state(int step, long optimizerSteps, String fingerprint, List<TrainListener.StepLog> steps) {
    ObjectNode s = JSON.createObjectNode();
    s.put("step", step);
    s.put("optimizer_steps", optimizerSteps);
    s.put("fingerprint", fingerprint);
    ArrayNode st = s.putArray("steps");
    for (TrainListener.StepLog l : steps) {
      st.addObject().put("step", l.step()).put("epoch", l.epoch()).put("loss", l.loss()).put("lr", l.learningRate())
          .put("grad_norm", l.gradNorm()).put("tokens", l.tokens()).put("padded_tokens", l.paddedTokens()).put("sequences", l.sequences())
          .put("seconds", l.seconds());
    }
    return s;
  }

  /** The step history that {@link #state} wrote, in order. */
  public static List<TrainListener.StepLog> steps(JsonNode state) {
    List<TrainListener.StepLog> steps = new ArrayList<>();
    for (JsonNode l : state.path("steps")) {
      steps.add(new TrainListener.StepLog(l.path("step").asInt(), l.path("epoch").asInt(), l.path("loss").asDouble(),
          l.path("lr").asDouble(), l.path("grad_norm").asDouble(), l.path("tokens").asLong(), l.path("padded_tokens").asLong(),
          l.path("sequences").asLong(), l.path("seconds").asDouble()));
    }
    return steps;
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      List<Path> all = new ArrayList<>(s.toList());
      all.sort(Comparator.reverseOrder());
      for (Path x : all) {
        Files.deleteIfExists(x);
      }
    }
  }
}

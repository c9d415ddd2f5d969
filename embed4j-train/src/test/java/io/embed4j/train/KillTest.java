package io.embed4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.modules.SafeTensors;
import io.embed4j.train.loss.MultipleNegativesRankingLoss;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILL a training JVM mid-run: at most the steps since the last checkpoint are lost, and resuming ends where an unkilled run ends. */
class KillTest {
  @TempDir Path tmp;

  @Test
  void aKillMidTrainingLosesAtMostTheStepsSinceTheLastCheckpoint() throws Exception {
    Path dir = tmp.resolve("checkpoints");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), KillableRun.class.getName(), dir.toString()));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    int lastSeen = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("step ")) {
          lastSeen = Integer.parseInt(line.substring(5).strip());
          if (lastSeen == 5) {
            p.destroyForcibly(); // SIGKILL: no shutdown hooks, no chance to finish a write
            break;
          }
        }
      }
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(5, lastSeen, "the child should have reached step 5");
    int saved = Checkpoints.stepOf(Checkpoints.latest(dir).orElseThrow());
    assertTrue(saved == 4 || saved == 6, "the last complete checkpoint is at step " + saved);
    assertTrue(lastSeen - saved < KillableRun.CONFIG.checkpointSteps(), "lost more than the steps since the last checkpoint");

    Map<String, SafeTensors.Tensor> resumed;
    try (TrainingRun run = TinyModel.open(0.1, 1)) {
      TrainResult r = run.trainer(new MultipleNegativesRankingLoss(), KillableRun.CONFIG).checkpoints(dir).train(TinyModel.pairs(12));
      assertEquals(saved, r.startStep());
      resumed = run.encoder().weights();
    }
    Map<String, SafeTensors.Tensor> uninterrupted;
    try (TrainingRun run = TinyModel.open(0.1, 1)) {
      run.trainer(new MultipleNegativesRankingLoss(), KillableRun.CONFIG).train(TinyModel.pairs(12));
      uninterrupted = run.encoder().weights();
    }
    assertTrue(TrainerTest.maxDifference(uninterrupted, resumed) < 1e-6);
  }
}

package io.embed4j.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real `embed4j` CLI in a child JVM, as a user runs it: exit code, stdout and stderr. */
public final class ChildCli {
  private ChildCli() {}

  public record Run(int exit, String out, String err) {}

  /**
   * Runs the CLI with {@code args}, its output in files under {@code tmp}. Stderr comes back without the
   * JVM's and PyTorch's own warning lines ({@code WARNING: ...}, {@code [W...}), which are not embed4j's.
   */
  public static Run run(Path tmp, int timeoutSeconds, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), Embed4jCli.class.getName()));
    cmd.addAll(List.of(args));
    Path out = tmp.resolve("stdout");
    Path err = tmp.resolve("stderr");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), "CLI did not finish");
    return new Run(p.exitValue(), Files.readString(out),
        Files.readString(err).replaceAll("(?m)^WARNING: .*\\R", "").replaceAll("(?m)^\\[W.*\\R", ""));
  }
}

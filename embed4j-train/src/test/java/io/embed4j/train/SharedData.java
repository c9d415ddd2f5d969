package io.embed4j.train;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code ../shared} (data sets) for tests; skips with a message when absent. */
public final class SharedData {
  private SharedData() {}

  public static Path require(String relative) {
    String p = System.getProperty("embed4j.shared");
    Path path = Path.of(p != null ? p : "../shared").toAbsolutePath().normalize().resolve(relative);
    assumeTrue(Files.exists(path), "skipped: " + path + " is absent (../shared beside the checkout holds the shared data sets)");
    return path;
  }
}

package io.embed4j.eval;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code ../shared} (the shared data sets) for tests; skips with a message when absent. */
public final class SharedData {
  private SharedData() {}

  public static Path dir() {
    String p = System.getProperty("embed4j.shared");
    return Path.of(p != null ? p : "../shared").toAbsolutePath().normalize();
  }

  /** The path under ../shared, or a skipped test saying what is missing. */
  public static Path require(String relative) {
    Path path = dir().resolve(relative);
    assumeTrue(Files.exists(path), "skipped: " + path + " is absent (../shared beside the checkout holds the shared data sets)");
    return path;
  }
}

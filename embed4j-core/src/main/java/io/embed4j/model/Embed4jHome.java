package io.embed4j.model;

import java.nio.file.Path;

/** Where embed4j keeps its caches: $EMBED4J_HOME, else ~/.cache/embed4j. */
public final class Embed4jHome {
  private Embed4jHome() {}

  public static Path dir() {
    String env = System.getenv("EMBED4J_HOME");
    String prop = System.getProperty("embed4j.home");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "embed4j");
  }

  /** The Maven local repository: -Dmaven.repo.local, else ~/.m2/repository. */
  public static Path mavenRepository() {
    String prop = System.getProperty("maven.repo.local");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    return Path.of(System.getProperty("user.home"), ".m2", "repository");
  }
}

package io.embed4j.backend;

import java.nio.file.Path;

/**
 * Tuning for an inference backend.
 *
 * @param intraOpThreads threads one inference call may use; 0 means one per available core
 * @param optimizationLevel graph optimization: "disable", "basic", "extended" or "all"
 * @param optimizedModelCache directory to cache the optimized graph in, or null to not cache
 */
public record BackendOptions(int intraOpThreads, String optimizationLevel, Path optimizedModelCache) {
  public BackendOptions {
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intraOpThreads must be >= 0, got " + intraOpThreads);
    }
    if (!java.util.Set.of("disable", "basic", "extended", "all").contains(optimizationLevel)) {
      throw new IllegalArgumentException("optimizationLevel must be disable, basic, extended or all; got '" + optimizationLevel + "'");
    }
  }

  public static BackendOptions defaults() {
    return new BackendOptions(0, "all", null);
  }

  public int effectiveThreads() {
    return intraOpThreads == 0 ? Runtime.getRuntime().availableProcessors() : intraOpThreads;
  }

  public BackendOptions withThreads(int threads) {
    return new BackendOptions(threads, optimizationLevel, optimizedModelCache);
  }
}

package io.embed4j.index.job;

import io.embed4j.Embed4jException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A root the index covers: a directory or file tree, or a BEIR corpus. Each set lists its current
 * sources and claims the ids it owns, so sources that are gone can be deleted without touching other roots.
 */
public interface SourceSet {
  /** How the set is recorded in the index, to be listed again by {@code reindex}: {@code file:/abs} or {@code beir:/abs}. */
  String spec();

  /** Whether a source id belongs to this set (so its absence means it was deleted). */
  boolean owns(String sourceId);

  /** The current sources, in a stable order; notes about what was left out go to {@code notes}. */
  List<Source> list(List<String> notes) throws IOException;

  /** Rebuilds a set from its {@link #spec()}. */
  static SourceSet fromSpec(String spec, List<Path> excluded) {
    if (spec.startsWith("file:")) {
      return new FileSourceSet(Path.of(spec.substring(5)), excluded);
    }
    if (spec.startsWith("beir:")) {
      return new BeirSourceSet(Path.of(spec.substring(5)));
    }
    throw new Embed4jException.InvalidInput("unknown source root '" + spec + "' recorded in the index");
  }
}

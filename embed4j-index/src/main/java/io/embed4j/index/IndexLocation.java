package io.embed4j.index;

import io.embed4j.Embed4jException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The directory an index lives in. It holds generations ({@code gen-000001}, ...), each a complete
 * Lucene index, and a {@code CURRENT} file naming the one in use:
 *
 * <pre>
 * DIR/.embed4j/CURRENT        "gen-000002"
 * DIR/.embed4j/gen-000002/    the index searches use
 * DIR/.embed4j/gen-000003/    a reindex in progress (resumed if interrupted)
 * </pre>
 *
 * {@code reindex} builds the next generation beside the current one and then replaces
 * {@code CURRENT} with an atomic rename, so a reader sees either the old index or the new one,
 * never a mix; processes that already opened the old one keep reading it until they close.
 */
public final class IndexLocation {
  static final String CURRENT = "CURRENT";
  private static final String PREFIX = "gen-";
  private final Path root;

  private IndexLocation(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public static IndexLocation of(Path root) {
    return new IndexLocation(root);
  }

  public Path root() {
    return root;
  }

  /** Whether an index has been started here. */
  public boolean exists() {
    return Files.isRegularFile(root.resolve(CURRENT));
  }

  /** The generation in use. */
  public Path current() {
    if (!exists()) {
      throw new Embed4jException.InvalidInput("no index at " + root + " (build one with: embed4j index PATH --index " + root + ")");
    }
    try {
      String name = Files.readString(root.resolve(CURRENT), StandardCharsets.UTF_8).strip();
      if (!name.startsWith(PREFIX) || name.contains("/") || name.contains("\\")) {
        throw new Embed4jException.InvalidInput(root.resolve(CURRENT) + ": expected a generation name like gen-000001, found '" + name + "'");
      }
      return root.resolve(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a new index here: the directory must be new, empty, or already an index. Returns the first generation. */
  public Path initialize() {
    if (exists()) {
      return current();
    }
    try {
      if (Files.isDirectory(root)) {
        try (Stream<Path> s = Files.list(root)) {
          if (s.findAny().isPresent()) {
            throw new Embed4jException.InvalidInput(root + " is not empty and holds no embed4j index (no CURRENT file); "
                + "choose a new or empty directory for --index");
          }
        }
      } else if (Files.exists(root)) {
        throw new Embed4jException.InvalidInput(root + " is a file; --index needs a directory");
      }
      Path first = root.resolve(PREFIX + "000001");
      Files.createDirectories(first);
      point(first);
      return first;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create index directory " + root + ": " + e.getMessage(), e);
    }
  }

  /** A generation newer than the current one left by an interrupted reindex, if any. */
  public Optional<Path> pending() {
    int cur = number(current());
    return generations().stream().filter(g -> number(g) > cur).max(Comparator.comparingInt(IndexLocation::number));
  }

  /** The path of the generation after every existing one (not created). */
  public Path next() {
    int max = generations().stream().mapToInt(IndexLocation::number).max().orElse(0);
    return root.resolve(String.format("%s%06d", PREFIX, max + 1));
  }

  /** Points {@code CURRENT} at {@code generation} atomically, then deletes the other generations. */
  public void swapTo(Path generation) {
    try {
      point(generation);
      for (Path g : generations()) {
        if (!g.equals(generation.toAbsolutePath().normalize())) {
          deleteTree(g);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot switch " + root + " to " + generation.getFileName() + ": " + e.getMessage(), e);
    }
  }

  private void point(Path generation) throws IOException {
    Path tmp = root.resolve(CURRENT + ".tmp");
    Files.writeString(tmp, generation.getFileName() + "\n", StandardCharsets.UTF_8);
    try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, root.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  List<Path> generations() {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(root, PREFIX + "*")) {
      for (Path p : s) {
        if (Files.isDirectory(p) && number(p) > 0) {
          out.add(p.toAbsolutePath().normalize());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static int number(Path generation) {
    try {
      return Integer.parseInt(generation.getFileName().toString().substring(PREFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Override
  public String toString() {
    return root.toString();
  }
}

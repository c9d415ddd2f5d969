package io.embed4j.index.job;

import io.embed4j.Embed4jException;
import io.embed4j.index.extract.Extracted;
import io.embed4j.index.extract.Extractor;
import io.embed4j.index.extract.Extractors;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The files under a directory (or one file). Hidden files and directories (names starting with a
 * dot: .git, .embed4j) and the excluded paths (the index itself) are left out; symbolic links are
 * not followed; files over {@link #MAX_FILE_BYTES} are skipped with a note.
 */
public final class FileSourceSet implements SourceSet {
  public static final long MAX_FILE_BYTES = 64L << 20;
  private final Path root;
  private final List<Path> excluded;

  public FileSourceSet(Path root, List<Path> excluded) {
    this.root = root.toAbsolutePath().normalize();
    this.excluded = excluded.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  public Path root() {
    return root;
  }

  @Override
  public String spec() {
    return "file:" + root;
  }

  @Override
  public boolean owns(String sourceId) {
    return sourceId.equals(root.toString()) || sourceId.startsWith(root + root.getFileSystem().getSeparator());
  }

  @Override
  public List<Source> list(List<String> notes) throws IOException {
    if (!Files.exists(root)) {
      throw new Embed4jException.InvalidInput(root + ": no such file or directory");
    }
    List<Source> out = new ArrayList<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        if (!dir.equals(root) && (hidden(dir) || excluded.contains(dir))) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (!attrs.isRegularFile() || (hidden(file) && !file.equals(root))) {
          return FileVisitResult.CONTINUE;
        }
        out.add(new FileSource(file, attrs.size(), attrs.lastModifiedTime().toMillis()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        notes.add(file + ": skipped, cannot be read (" + e.getClass().getSimpleName() + ")");
        return FileVisitResult.CONTINUE;
      }
    });
    out.sort((a, b) -> a.id().compareTo(b.id()));
    return out;
  }

  private static boolean hidden(Path p) {
    Path name = p.getFileName();
    return name != null && name.toString().startsWith(".");
  }

  /** One file; its id is its absolute path. */
  record FileSource(Path file, long size, long modifiedMillis) implements Source {
    @Override
    public String id() {
      return file.toString();
    }

    @Override
    public String path() {
      return file.toString();
    }

    @Override
    public String fingerprint() {
      return size + ":" + modifiedMillis;
    }

    @Override
    public byte[] content() throws IOException {
      if (size > MAX_FILE_BYTES) {
        throw new Extractor.Unreadable("larger than " + (MAX_FILE_BYTES >> 20) + " MiB");
      }
      return Files.readAllBytes(file);
    }

    @Override
    public Extracted extract(byte[] content, Extractors extractors) throws IOException {
      String name = file.getFileName().toString();
      Extractor e = extractors.forFile(name)
          .orElseThrow(() -> new Extractor.Unreadable("binary format (." + name.substring(name.lastIndexOf('.') + 1) + ")"));
      return e.extract(name, content);
    }
  }
}

package io.embed4j.index.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Bytes on disk of a Lucene index by file extension: {@code vec} raw float vectors, {@code vex}
 * the HNSW graph, {@code veq} quantized vectors, {@code vem*} vector metadata, and the rest
 * (postings, stored fields) for text.
 */
public final class IndexFiles {
  private IndexFiles() {}

  public static Map<String, Long> bytesByExtension(Path dir) {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? name : name.substring(dot + 1);
        out.merge(ext, Files.size(p), Long::sum);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}

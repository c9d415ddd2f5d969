package io.embed4j.eval.retrieval;

import io.embed4j.Embed4jException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A reranker's scores kept in a file, so that an interrupted evaluation resumes where it stopped and
 * a second one (another fusion, another top below the first's) scores nothing again. Each line is
 * {@code key<TAB>score}, the key a hash of the (query, document) texts; the first line names the
 * scorer, and a file written by another scorer is refused. Pairs are appended as they are scored.
 */
public final class PairScoreCache implements RerankingRetriever.PairScorer, AutoCloseable {
  private static final String MAGIC = "# embed4j pair scores: ";

  private final RerankingRetriever.PairScorer scorer;
  private final Map<String, Float> scores = new HashMap<>();
  private final BufferedWriter out;
  private long hits;
  private long misses;

  private PairScoreCache(RerankingRetriever.PairScorer scorer, BufferedWriter out) {
    this.scorer = scorer;
    this.out = out;
  }

  /**
   * @param file the cache (created when missing)
   * @param identity what the scores come from (model and activation): a file for another is refused
   */
  public static PairScoreCache open(Path file, String identity, RerankingRetriever.PairScorer scorer) {
    String header = MAGIC + identity.replace('\n', ' ');
    try {
      Map<String, Float> known = new HashMap<>();
      boolean exists = Files.isRegularFile(file) && Files.size(file) > 0;
      if (exists) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (!lines.get(0).equals(header)) {
          throw new Embed4jException.InvalidInput(file + ":1: scores of '" + lines.get(0).replace(MAGIC, "") + "', not of '" + identity
              + "'; use another cache file");
        }
        for (int i = 1; i < lines.size(); i++) {
          String[] f = lines.get(i).split("\t");
          if (f.length != 2) {
            continue; // a line cut short by an interrupted run
          }
          try {
            known.put(f[0], Float.parseFloat(f[1]));
          } catch (NumberFormatException e) {
            // the same: skip and score again
          }
        }
      } else if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      if (!exists) {
        w.write(header);
        w.newLine();
        w.flush();
      } else if (!endsWithNewline(file)) {
        w.newLine(); // after a line cut short, so the next one starts clean
        w.flush();
      }
      PairScoreCache c = new PairScoreCache(scorer, w);
      c.scores.putAll(known);
      return c;
    } catch (IOException e) {
      throw new Embed4jException.InvalidInput(file + ": " + e.getMessage());
    }
  }

  @Override
  public synchronized float[] score(String query, List<String> documents) {
    float[] s = new float[documents.size()];
    List<Integer> missing = new ArrayList<>();
    List<String> keys = new ArrayList<>(documents.size());
    for (int i = 0; i < s.length; i++) {
      String key = key(query, documents.get(i));
      keys.add(key);
      Float known = scores.get(key);
      if (known == null) {
        missing.add(i);
      } else {
        s[i] = known;
      }
    }
    hits += s.length - missing.size();
    misses += missing.size();
    if (missing.isEmpty()) {
      return s;
    }
    List<String> docs = new ArrayList<>(missing.size());
    for (int i : missing) {
      docs.add(documents.get(i));
    }
    float[] fresh = scorer.score(query, docs);
    try {
      for (int j = 0; j < fresh.length; j++) {
        int i = missing.get(j);
        s[i] = fresh[j];
        scores.put(keys.get(i), fresh[j]);
        out.write(keys.get(i) + "\t" + fresh[j]);
        out.newLine();
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s;
  }

  /** Pairs answered from the file. */
  public synchronized long hits() {
    return hits;
  }

  /** Pairs scored by the reranker. */
  public synchronized long misses() {
    return misses;
  }

  private static boolean endsWithNewline(Path file) throws IOException {
    try (var ch = Files.newByteChannel(file)) {
      ch.position(ch.size() - 1);
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
      ch.read(b);
      return b.get(0) == '\n';
    }
  }

  static String key(String query, String document) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(query.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(document.getBytes(StandardCharsets.UTF_8));
      byte[] d = md.digest();
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.embed4j.eval.retrieval;

import io.embed4j.eval.metrics.ScoredDoc;
import io.embed4j.eval.metrics.TrecOrder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a standard TREC run file: {@code qid Q0 docid rank score tag}, one line per retrieved
 * document, ranks from 1 in trec_eval's order (score descending, then id descending). Scores are
 * written with enough digits to read back the same float, so trec_eval re-sorts to the same order.
 */
public final class TrecRun {
  private TrecRun() {}

  public static void write(Path file, Map<String, List<ScoredDoc>> run, String tag) throws IOException {
    if (tag.isBlank() || tag.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("run tag must be one word, got '" + tag + "'");
    }
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      for (var e : run.entrySet()) {
        List<ScoredDoc> ranked = new ArrayList<>(e.getValue());
        ranked.sort(TrecOrder.RANKING);
        for (int i = 0; i < ranked.size(); i++) {
          ScoredDoc d = ranked.get(i);
          if (hasWhitespace(e.getKey()) || hasWhitespace(d.docId())) {
            throw new IllegalArgumentException("ids in a TREC run cannot hold whitespace: query '" + e.getKey() + "', document '" + d.docId() + "'");
          }
          w.write(e.getKey() + " Q0 " + d.docId() + " " + (i + 1) + " " + format(d.score()) + " " + tag + "\n");
        }
      }
    } catch (IOException | RuntimeException ex) {
      Files.deleteIfExists(tmp);
      throw ex;
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Shortest text that reads back as the same value: float digits for scores that are floats. */
  static String format(double score) {
    float f = (float) score;
    return f == score ? Float.toString(f) : Double.toString(score);
  }

  private static boolean hasWhitespace(String s) {
    return s.isEmpty() || s.chars().anyMatch(Character::isWhitespace);
  }
}

package io.embed4j.cli.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.embed4j.index.job.IndexReport;
import io.embed4j.index.store.SearchHit;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** How the index commands print hits and reports, as text for people or JSON for programs. */
final class Output {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final int SNIPPET_CHARS = 240;
  private static final int NOTES_SHOWN = 20;

  private Output() {}

  /** A path relative to the working directory when it lies under it, else as stored. */
  static String display(String path) {
    Path p = Path.of(path);
    Path cwd = Path.of("").toAbsolutePath();
    return p.startsWith(cwd) && !p.equals(cwd) ? cwd.relativize(p).toString() : path;
  }

  /** {@code file:12-18}, {@code file p.3:1-4} for PDFs, {@code file#id} for records. */
  static String location(SearchHit h) {
    StringBuilder sb = new StringBuilder(display(h.path()));
    if (h.record() != null) {
      return sb.append('#').append(h.record()).toString();
    }
    if (h.page() > 0) {
      sb.append(" p.").append(h.page());
    }
    sb.append(':').append(h.startLine());
    if (h.endLine() != h.startLine()) {
      sb.append('-').append(h.endLine());
    }
    return sb.toString();
  }

  static void printHits(List<SearchHit> hits, String query, PrintStream out) {
    if (hits.isEmpty()) {
      out.println("no results");
      return;
    }
    for (int i = 0; i < hits.size(); i++) {
      SearchHit h = hits.get(i);
      out.printf(Locale.ROOT, "%d. %s  %.4f%s%n", i + 1, location(h), h.score(), h.heading().isEmpty() ? "" : "  [" + h.heading() + "]");
      out.println("   " + Snippets.best(h.text(), query, SNIPPET_CHARS));
    }
  }

  static ObjectNode hitsJson(List<SearchHit> hits, String query, String mode, double tookMillis) {
    ObjectNode root = JSON.createObjectNode();
    root.put("query", query);
    root.put("mode", mode);
    root.put("took_ms", Math.round(tookMillis * 10) / 10.0);
    ArrayNode results = root.putArray("results");
    for (SearchHit h : hits) {
      ObjectNode r = results.addObject();
      r.put("path", h.path());
      r.put("score", h.score());
      r.put("text", h.text());
      r.put("start_line", h.startLine());
      r.put("end_line", h.endLine());
      r.put("heading", h.heading());
      if (h.startOffset() >= 0) {
        r.put("start_offset", h.startOffset());
        r.put("end_offset", h.endOffset());
      }
      if (h.page() > 0) {
        r.put("page", h.page());
      }
      if (h.record() != null) {
        r.put("record", h.record());
      }
      r.put("chunk", h.ordinal());
      r.put("format", h.format());
      if (!h.metadata().isEmpty()) {
        ObjectNode m = r.putObject("metadata");
        h.metadata().forEach(m::put);
      }
    }
    return root;
  }

  /** One summary line, then the skip notes (stderr). */
  static void printReport(IndexReport r, PrintStream err) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "indexed %d new and %d changed source(s) (%d chunks), deleted %d, unchanged %d, skipped %d",
        r.added(), r.updated(), r.chunks(), r.deleted(), r.unchanged(), r.skipped()));
    sb.append(String.format(Locale.ROOT, " in %.1fs", r.totalNanos() / 1e9));
    if (r.chunks() > 0) {
      sb.append(String.format(Locale.ROOT, " (read+chunk %.1fs, encode %.1fs, index %.1fs, commit %.1fs)",
          r.extractNanos() / 1e9, r.encodeNanos() / 1e9, r.storeNanos() / 1e9, r.commitNanos() / 1e9));
    }
    if (r.cancelled()) {
      sb.append("; interrupted: the next run resumes");
    }
    err.println(sb);
    List<String> notes = r.notes();
    for (int i = 0; i < Math.min(NOTES_SHOWN, notes.size()); i++) {
      err.println("  " + display(notes.get(i)));
    }
    if (notes.size() > NOTES_SHOWN) {
      err.println("  ... and " + (notes.size() - NOTES_SHOWN) + " more (--json lists them)");
    }
  }

  static ObjectNode reportJson(IndexReport r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("added", r.added());
    o.put("updated", r.updated());
    o.put("deleted", r.deleted());
    o.put("unchanged", r.unchanged());
    o.put("skipped", r.skipped());
    o.put("chunks", r.chunks());
    o.put("cancelled", r.cancelled());
    ObjectNode t = o.putObject("seconds");
    t.put("list", r.listNanos() / 1e9);
    t.put("read_and_chunk", r.extractNanos() / 1e9);
    t.put("encode", r.encodeNanos() / 1e9);
    t.put("index", r.storeNanos() / 1e9);
    t.put("commit", r.commitNanos() / 1e9);
    t.put("total", r.totalNanos() / 1e9);
    ObjectNode e = o.putObject("encode");
    e.put("texts", r.encodeStats().texts());
    e.put("tokens", r.encodeStats().realTokens());
    e.put("padding_ratio", r.encodeStats().paddingRatio());
    ArrayNode notes = o.putArray("notes");
    r.notes().forEach(notes::add);
    return o;
  }
}

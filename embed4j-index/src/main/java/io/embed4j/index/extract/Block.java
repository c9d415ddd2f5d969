package io.embed4j.index.extract;

import java.util.Map;

/**
 * One structural unit of an extracted document: a heading, a paragraph, a code block or a record.
 * Positions point back into the source so search results can say where a chunk came from.
 *
 * @param kind what the block is
 * @param text its text; for {@link #verbatim} blocks exactly the source characters
 * @param level heading level 1-6 for {@link Kind#HEADING}, else 0
 * @param startLine first source line, 1-based (for PDFs, the line in the page's extracted text)
 * @param endLine last source line, inclusive
 * @param startOffset first source character (UTF-16 index), or -1 when the text is not a source substring
 * @param endOffset one past the last source character, or -1
 * @param page 1-based PDF page, or 0 for formats without pages
 * @param record record id for records of a JSONL file or BEIR corpus, else null; chunks never span records
 * @param metadata fields of the record (or file) that filters can match, e.g. {@code lang -> en}
 * @param verbatim whether {@code text} is the source substring {@code [startOffset, endOffset)}
 */
public record Block(
    Kind kind,
    String text,
    int level,
    int startLine,
    int endLine,
    int startOffset,
    int endOffset,
    int page,
    String record,
    Map<String, String> metadata,
    boolean verbatim) {

  /** What a block is; the chunker splits text at sentences and code at lines. */
  public enum Kind { HEADING, TEXT, CODE }

  public Block {
    if (kind == null || text == null) {
      throw new IllegalArgumentException("kind and text are required");
    }
    if (kind == Kind.HEADING && (level < 1 || level > 6)) {
      throw new IllegalArgumentException("heading level must be 1..6, got " + level);
    }
    if (startLine < 1 || endLine < startLine) {
      throw new IllegalArgumentException("line range must satisfy 1 <= start <= end, got " + startLine + ".." + endLine);
    }
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** A block whose text is the source substring at {@code [start, end)}. */
  public static Block verbatim(Kind kind, int level, String source, int start, int end, LineIndex lines) {
    return new Block(kind, source.substring(start, end), level, lines.lineOf(start), lines.lineOf(Math.max(start, end - 1)),
        start, end, 0, null, null, true);
  }

  /** A block of derived text (HTML, PDF, records) located by lines only. */
  public static Block derived(Kind kind, int level, String text, int startLine, int endLine) {
    return new Block(kind, text, level, startLine, endLine, -1, -1, 0, null, null, false);
  }

  public Block withPage(int p) {
    return new Block(kind, text, level, startLine, endLine, startOffset, endOffset, p, record, metadata, verbatim);
  }

  public Block withRecord(String id, Map<String, String> meta) {
    return new Block(kind, text, level, startLine, endLine, startOffset, endOffset, page, id, meta, verbatim);
  }
}

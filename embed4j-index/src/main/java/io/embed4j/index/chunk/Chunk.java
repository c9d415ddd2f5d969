package io.embed4j.index.chunk;

import java.util.Map;

/**
 * A piece of a document small enough to embed, with where it came from.
 *
 * @param text the chunk's text (sentences of one block joined as in the source, blocks by a blank line)
 * @param heading the heading path above it, e.g. "Install > Linux" ("" when none)
 * @param startLine first source line, 1-based
 * @param endLine last source line
 * @param startOffset first source character, or -1 when not known (HTML, PDF, records)
 * @param endOffset one past the last source character, or -1
 * @param page 1-based PDF page, or 0
 * @param record record id within a JSONL file or BEIR corpus, or null
 * @param metadata the record's fields, for filters
 * @param tokens model tokens of {@link #text} (summed over sentences; an estimate within a few tokens)
 */
public record Chunk(
    String text,
    String heading,
    int startLine,
    int endLine,
    int startOffset,
    int endOffset,
    int page,
    String record,
    Map<String, String> metadata,
    int tokens) {

  public Chunk {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    heading = heading == null ? "" : heading;
  }

  /** What gets embedded: the heading path gives the chunk its context. */
  public String embeddingText() {
    return heading.isEmpty() ? text : heading + "\n\n" + text;
  }
}

package io.embed4j.index.extract;

import java.util.List;
import java.util.Map;

/**
 * What an {@link Extractor} read from one file.
 *
 * @param format short format name stored with each chunk ("markdown", "html", "pdf", "jsonl", "text", "code")
 * @param blocks the document's structure in reading order
 * @param metadata file-level fields (e.g. an HTML or PDF title)
 * @param notes things skipped inside the file (a bad JSONL line), for the report; never fatal
 */
public record Extracted(String format, List<Block> blocks, Map<String, String> metadata, List<String> notes) {
  public Extracted {
    blocks = List.copyOf(blocks);
    metadata = Map.copyOf(metadata);
    notes = List.copyOf(notes);
  }

  public Extracted(String format, List<Block> blocks) {
    this(format, blocks, Map.of(), List.of());
  }
}

package io.embed4j.index.store;

import java.util.Map;

/**
 * One search result: a chunk, its score and where it sits in its source.
 *
 * @param sourceId the source key (absolute path, or {@code corpus#doc-id} for BEIR records)
 * @param path the file
 * @param record record id within a JSONL file or BEIR corpus, or null
 * @param ordinal chunk number within the source, from 0
 * @param score higher is better: the model's similarity for dense and exact, BM25 for bm25, the fused score for hybrid
 * @param text the chunk's text
 * @param heading heading path ("" when none)
 * @param startLine first line, 1-based
 * @param endLine last line
 * @param startOffset first character in the source, or -1
 * @param endOffset one past the last character, or -1
 * @param page PDF page, or 0
 * @param format the source's format
 * @param metadata record metadata
 */
public record SearchHit(
    String sourceId,
    String path,
    String record,
    int ordinal,
    double score,
    String text,
    String heading,
    int startLine,
    int endLine,
    int startOffset,
    int endOffset,
    int page,
    String format,
    Map<String, String> metadata) {

  public SearchHit withScore(double s) {
    return new SearchHit(sourceId, path, record, ordinal, s, text, heading, startLine, endLine, startOffset, endOffset, page, format, metadata);
  }

  /** The document an evaluation judges: the record id when there is one, else the source. */
  public String documentId() {
    return record != null ? record : sourceId;
  }
}

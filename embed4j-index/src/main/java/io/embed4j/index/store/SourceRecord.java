package io.embed4j.index.store;

/**
 * What the index knows about one source (a file, or one record of a BEIR corpus): enough to decide
 * on the next run whether it changed.
 *
 * @param id unique key: the absolute path, or {@code corpus-path#doc-id}
 * @param path the file it lives in
 * @param fingerprint size and modification time, a cheap first check ({@code null} when there is none)
 * @param sha256 hex SHA-256 of the content: the check that decides
 * @param format extractor format name ("markdown", "pdf", ...), or "skipped"
 * @param chunks chunks indexed for it
 * @param note why it was skipped or what was left out of it ("" when nothing)
 */
public record SourceRecord(String id, String path, String fingerprint, String sha256, String format, int chunks, String note) {
  public SourceRecord {
    note = note == null ? "" : note;
  }

  public SourceRecord withFingerprint(String f) {
    return new SourceRecord(id, path, f, sha256, format, chunks, note);
  }
}

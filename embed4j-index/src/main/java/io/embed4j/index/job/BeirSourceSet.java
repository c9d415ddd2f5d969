package io.embed4j.index.job;

import io.embed4j.Embed4jException;
import io.embed4j.index.extract.Block;
import io.embed4j.index.extract.Extracted;
import io.embed4j.index.extract.Extractors;
import io.embed4j.index.extract.JsonlExtractor;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The documents of a BEIR corpus ({@code DIR/corpus.jsonl}: {@code _id}, {@code title}, {@code text}),
 * one source per document, so the corpus is indexed (and re-indexed) document by document. A source
 * id is {@code corpus-path#doc-id}; hits carry the doc id as their record.
 */
public final class BeirSourceSet implements SourceSet {
  private final Path dir;
  private final Path corpus;

  public BeirSourceSet(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
    this.corpus = this.dir.resolve("corpus.jsonl");
  }

  @Override
  public String spec() {
    return "beir:" + dir;
  }

  @Override
  public boolean owns(String sourceId) {
    return sourceId.startsWith(corpus + "#");
  }

  @Override
  public List<Source> list(List<String> notes) throws IOException {
    if (!Files.isRegularFile(corpus)) {
      throw new Embed4jException.InvalidInput(corpus + ": no such file (a BEIR directory holds corpus.jsonl, queries.jsonl and qrels/)");
    }
    List<Source> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
      int lineNo = 0;
      for (String line; (line = r.readLine()) != null; ) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String id = docId(line, lineNo);
        if (id == null) {
          notes.add(corpus + ":" + lineNo + ": skipped, no _id");
          continue;
        }
        out.add(new Record(corpus, id, lineNo, line));
      }
    }
    return out;
  }

  /** The {@code _id} of a record, read without a full parse (the job parses it if it changed). */
  private static String docId(String line, int lineNo) {
    try {
      List<Block> blocks = JsonlExtractor.record(line, lineNo);
      return blocks.get(0).record();
    } catch (IOException e) {
      return null;
    }
  }

  record Record(Path corpus, String docId, int lineNo, String line) implements Source {
    @Override
    public String id() {
      return corpus + "#" + docId;
    }

    @Override
    public String path() {
      return corpus.toString();
    }

    @Override
    public String fingerprint() {
      return null;
    }

    @Override
    public byte[] content() {
      return line.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Extracted extract(byte[] content, Extractors extractors) throws IOException {
      return new Extracted("beir", JsonlExtractor.record(line, lineNo));
    }
  }
}

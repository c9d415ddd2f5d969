package io.embed4j.index.job;

import io.embed4j.EmbeddingModel;
import io.embed4j.encode.EncodeOptions;
import io.embed4j.encode.EncodeStats;
import io.embed4j.encode.Embeddings;
import io.embed4j.index.chunk.Chunk;
import io.embed4j.index.chunk.Chunker;
import io.embed4j.index.extract.Extracted;
import io.embed4j.index.extract.Extractor;
import io.embed4j.index.extract.Extractors;
import io.embed4j.index.store.ChunkRecord;
import io.embed4j.index.store.SearchStore;
import io.embed4j.index.store.SourceRecord;
import io.embed4j.sparse.SparseEncoder;
import io.embed4j.sparse.SparseVector;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Brings a store up to date with its roots: lists sources, deletes those that are gone, skips those
 * whose fingerprint or content hash is unchanged, and extracts, chunks, embeds and stores the rest.
 *
 * <p>Chunks are embedded in batches across sources, and the store commits every
 * {@link Options#commitInterval()}: a run that is cancelled (Ctrl-C) commits what it finished, and
 * a run that is killed loses at most one interval; either way the next run resumes, because
 * committed sources hash as unchanged.
 */
public final class IndexJob {
  /**
   * @param encodeBatch chunks gathered before calling the model
   * @param commitInterval time between commits
   */
  public record Options(int encodeBatch, Duration commitInterval) {
    public Options {
      if (encodeBatch < 1) {
        throw new IllegalArgumentException("encode batch must be >= 1, got " + encodeBatch);
      }
    }

    public static Options defaults() {
      return new Options(256, Duration.ofSeconds(10));
    }
  }

  private final SearchStore store;
  private final Supplier<EmbeddingModel> model;
  private final Supplier<SparseEncoder> sparse;
  private final Supplier<Chunker> chunker;
  private final Extractors extractors;
  private final Options options;

  public IndexJob(SearchStore store, Supplier<EmbeddingModel> model, Supplier<Chunker> chunker, Extractors extractors, Options options) {
    this(store, model, null, chunker, extractors, options);
  }

  /** A job that also gives every chunk a sparse vector from {@code sparse} (null: none, for a store without sparse vectors). */
  public IndexJob(SearchStore store, Supplier<EmbeddingModel> model, Supplier<SparseEncoder> sparse, Supplier<Chunker> chunker,
      Extractors extractors, Options options) {
    this.store = store;
    this.model = model;
    this.sparse = sparse;
    this.chunker = chunker;
    this.extractors = extractors;
    this.options = options;
  }

  private record Pending(SourceRecord source, List<ChunkRecord> chunks, List<String> texts) {}

  /** Mutable tallies of one run. */
  private static final class Tally {
    int added;
    int updated;
    int deleted;
    int unchanged;
    int skipped;
    long chunks;
    long listNanos;
    long extractNanos;
    long encodeNanos;
    long storeNanos;
    long commitNanos;
    EncodeStats encodeStats = EncodeStats.EMPTY;
    final List<String> notes = new ArrayList<>();
    int done;

    void note(String s) {
      if (notes.size() < IndexReport.MAX_NOTES) {
        notes.add(s);
      }
    }
  }

  public IndexReport run(List<SourceSet> sets, IndexListener listener, BooleanSupplier cancelled) throws IOException {
    Tally t = new Tally();
    long started = System.nanoTime();
    Map<String, SourceRecord> known = store.sources();
    Map<String, Source> current = new LinkedHashMap<>();
    List<String> listNotes = new ArrayList<>();
    for (SourceSet set : sets) {
      for (Source s : set.list(listNotes)) {
        current.putIfAbsent(s.id(), s);
      }
    }
    listNotes.forEach(t::note);
    List<String> gone = new ArrayList<>();
    for (String id : known.keySet()) {
      if (!current.containsKey(id) && sets.stream().anyMatch(s -> s.owns(id))) {
        gone.add(id);
      }
    }
    List<Source> toRead = new ArrayList<>();
    for (Source s : current.values()) {
      SourceRecord k = known.get(s.id());
      if (k != null && s.fingerprint() != null && s.fingerprint().equals(k.fingerprint())) {
        t.unchanged++;
      } else {
        toRead.add(s);
      }
    }
    for (String id : gone) {
      store.delete(id);
      t.deleted++;
    }
    for (SourceSet set : sets) {
      Map<String, String> props = new HashMap<>(store.properties());
      String roots = props.getOrDefault(ROOTS, "");
      if (!List.of(roots.split("\n")).contains(set.spec())) {
        store.setProperty(ROOTS, roots.isEmpty() ? set.spec() : roots + "\n" + set.spec());
      }
    }
    t.listNanos = System.nanoTime() - started;
    listener.planned(toRead.size(), t.unchanged, gone.size());

    long lastCommit = System.nanoTime();
    List<Pending> pending = new ArrayList<>();
    int pendingChunks = 0;
    boolean stopped = false;
    for (Source s : toRead) {
      if (cancelled.getAsBoolean()) {
        stopped = true;
        break;
      }
      long t0 = System.nanoTime();
      Pending p = read(s, known.get(s.id()), t, listener);
      t.extractNanos += System.nanoTime() - t0;
      if (p != null) {
        pending.add(p);
        pendingChunks += p.chunks().size();
      }
      if (pendingChunks >= options.encodeBatch()) {
        flush(pending, t, listener);
        pendingChunks = 0;
      }
      if (System.nanoTime() - lastCommit >= options.commitInterval().toNanos()) {
        flush(pending, t, listener);
        pendingChunks = 0;
        commit(t, listener);
        lastCommit = System.nanoTime();
      }
    }
    flush(pending, t, listener);
    commit(t, listener);
    return new IndexReport(t.added, t.updated, t.deleted, t.unchanged, t.skipped, t.chunks, t.notes, t.listNanos,
        t.extractNanos, t.encodeNanos, t.storeNanos, t.commitNanos, t.encodeStats, stopped);
  }

  /** Property listing the roots this store covers, one spec a line (what {@code reindex} lists again). */
  public static final String ROOTS = "roots";

  /** Reads one source; returns what to embed and store, or null when it was unchanged (hash) or fully handled. */
  private Pending read(Source s, SourceRecord before, Tally t, IndexListener listener) {
    byte[] content;
    try {
      content = s.content();
    } catch (IOException e) {
      skip(s, null, "cannot be read: " + message(e), t, listener);
      return null;
    }
    String sha = Hashing.sha256(content);
    if (before != null && sha.equals(before.sha256())) {
      store.updateSource(before.withFingerprint(s.fingerprint()));
      t.unchanged++;
      t.done++;
      listener.sourceDone(s.id(), before.chunks(), "unchanged");
      return null;
    }
    Extracted extracted;
    try {
      extracted = s.extract(content, extractors);
    } catch (Extractor.Unreadable e) {
      skip(s, sha, e.getMessage(), t, listener);
      return null;
    } catch (IOException | RuntimeException e) {
      skip(s, sha, "cannot be read: " + message(e), t, listener);
      return null;
    }
    List<Chunk> chunks = chunker.get().chunk(extracted.blocks());
    for (String n : extracted.notes()) {
      t.note(s.id() + ": " + n);
    }
    if (chunks.isEmpty()) {
      skip(s, sha, extracted.notes().isEmpty() ? "no text" : String.join("; ", extracted.notes()), t, listener);
      return null;
    }
    List<ChunkRecord> records = new ArrayList<>(chunks.size());
    List<String> texts = new ArrayList<>(chunks.size());
    for (int i = 0; i < chunks.size(); i++) {
      Chunk c = chunks.get(i);
      if (!extracted.metadata().isEmpty()) {
        Map<String, String> meta = new HashMap<>(extracted.metadata());
        meta.putAll(c.metadata());
        c = new Chunk(c.text(), c.heading(), c.startLine(), c.endLine(), c.startOffset(), c.endOffset(), c.page(), c.record(), meta, c.tokens());
      }
      records.add(new ChunkRecord(s.id(), s.path(), i, extracted.format(), c, null));
      texts.add(c.embeddingText());
    }
    String note = extracted.notes().isEmpty() ? "" : extracted.notes().size() + " part(s) skipped: " + extracted.notes().get(0);
    SourceRecord record = new SourceRecord(s.id(), s.path(), s.fingerprint(), sha, extracted.format(), chunks.size(), note);
    if (before == null) {
      t.added++;
    } else {
      t.updated++;
    }
    return new Pending(record, records, texts);
  }

  private void skip(Source s, String sha, String why, Tally t, IndexListener listener) {
    store.put(new SourceRecord(s.id(), s.path(), s.fingerprint(), sha == null ? "" : sha, "skipped", 0, why), List.of());
    t.skipped++;
    t.done++;
    t.note(s.id() + ": skipped, " + why);
    listener.sourceDone(s.id(), 0, why);
  }

  private static String message(Throwable e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** Embeds the pending chunks in one call and stores each source with its chunks. */
  private void flush(List<Pending> pending, Tally t, IndexListener listener) {
    if (pending.isEmpty()) {
      return;
    }
    List<String> texts = new ArrayList<>();
    for (Pending p : pending) {
      texts.addAll(p.texts());
    }
    long t0 = System.nanoTime();
    EmbeddingModel m = model.get();
    Embeddings e = m.embed(texts, EncodeOptions.defaults().withPrompt(m.config().documentPrompt()));
    // The sparse model reads the same chunk text (heading and body), truncated to its own max length.
    SparseVector[] sparseVectors = sparse == null ? null : sparse.get().encodeDocument(texts);
    t.encodeNanos += System.nanoTime() - t0;
    t.encodeStats = t.encodeStats.plus(e.stats());
    long t1 = System.nanoTime();
    int at = 0;
    for (Pending p : pending) {
      List<ChunkRecord> withVectors = new ArrayList<>(p.chunks().size());
      for (ChunkRecord c : p.chunks()) {
        withVectors.add(new ChunkRecord(c.sourceId(), c.path(), c.ordinal(), c.format(), c.chunk(), e.vectors()[at],
            sparseVectors == null ? null : sparseVectors[at]));
        at++;
      }
      store.put(p.source(), withVectors);
      t.chunks += withVectors.size();
      t.done++;
      listener.sourceDone(p.source().id(), withVectors.size(), p.source().note());
    }
    t.storeNanos += System.nanoTime() - t1;
    pending.clear();
  }

  private void commit(Tally t, IndexListener listener) {
    long t0 = System.nanoTime();
    store.commit();
    t.commitNanos += System.nanoTime() - t0;
    listener.committed(t.done);
  }
}

package io.embed4j.index.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where chunks, their vectors and the sources they came from are kept and searched. The embedded
 * Lucene index ({@link io.embed4j.index.store.lucene.LuceneStore}) is the default; a server-backed
 * store (SolrCloud) implements the same contract.
 *
 * <p>Writes are buffered until {@link #commit()}, which is atomic: a reader, or a process that
 * restarts after a crash, sees every change up to the last commit and none after it. A store is
 * built for one model ({@link #model()}) and never mixes vectors of two.
 */
public interface SearchStore extends AutoCloseable {
  /** The model that built this store. */
  ModelStamp model();

  /**
   * The sparse (SPLADE) model whose vectors the store holds next to the dense ones, or empty when it
   * holds none: then {@link SearchMode#SPARSE} and hybrids fusing sparse are not available, and chunks
   * come without sparse vectors. A store without sparse support keeps this default.
   */
  default Optional<SparseStamp> sparseModel() {
    return Optional.empty();
  }

  /**
   * How to start this store over for {@code other}, a model whose vectors do not mix with
   * {@link #model()}'s: the end of a message refusing it ("Use --model X, or ..."). The embedded
   * index is rebuilt with {@code embed4j reindex}, which {@link io.embed4j.index.SemanticIndex} says itself.
   */
  default String rebuildAdvice(ModelStamp other) {
    return "index into a new store for model " + other.source();
  }

  /** Encoding, graph and chunking settings fixed at creation. */
  StoreSettings settings();

  /** Free-form properties saved with each commit (e.g. the indexed roots). */
  Map<String, String> properties();

  /** Sets a property, saved with the next commit. */
  void setProperty(String key, String value);

  /** Every source the store holds, by id. */
  Map<String, SourceRecord> sources();

  Optional<SourceRecord> source(String id);

  /** Replaces a source and all its chunks (none when it was skipped). */
  void put(SourceRecord source, List<ChunkRecord> chunks);

  /** Updates what is known about a source (e.g. a new fingerprint) without touching its chunks. */
  void updateSource(SourceRecord source);

  /** Removes a source and its chunks. */
  void delete(String sourceId);

  /** Makes every change so far durable and visible, atomically. */
  void commit();

  List<SearchHit> search(SearchRequest request);

  long chunkCount();

  /** Whether this store was opened for reading only. */
  boolean readOnly();

  @Override
  void close();
}

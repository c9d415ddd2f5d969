package io.embed4j.index;

import io.embed4j.EmbeddingModel;
import io.embed4j.Embed4jException;
import io.embed4j.index.chunk.Chunker;
import io.embed4j.index.chunk.TokenCounter;
import io.embed4j.index.extract.Extractors;
import io.embed4j.index.job.IndexJob;
import io.embed4j.index.job.IndexListener;
import io.embed4j.index.job.IndexReport;
import io.embed4j.index.job.SourceSet;
import io.embed4j.index.rerank.Reranker;
import io.embed4j.index.store.ModelStamp;
import io.embed4j.index.store.SearchHit;
import io.embed4j.index.store.SearchMode;
import io.embed4j.index.store.SearchRequest;
import io.embed4j.index.store.SearchStore;
import io.embed4j.index.store.SparseStamp;
import io.embed4j.index.store.StoreSettings;
import io.embed4j.index.store.lucene.LuceneStore;
import io.embed4j.model.ModelCatalog;
import io.embed4j.sparse.SparseEncoder;
import io.embed4j.sparse.SparseVector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Semantic search over files: the entry point the CLI (and any application) uses.
 *
 * <pre>{@code
 * try (SemanticIndex index = SemanticIndex.openOrCreate(dir.resolve(".embed4j"), SemanticIndex.Options.defaults())) {
 *   index.update(List.of(new FileSourceSet(dir, List.of(index.location().root()))), IndexListener.NONE, () -> false);
 *   List<SearchHit> hits = index.search("reset password policy", SearchOptions.defaults()).hits();
 * }
 * }</pre>
 *
 * It ties a {@link SearchStore} (Lucene by default) to the model that built it. The model is
 * loaded only when needed (a BM25 search or an update with no changes never loads it), and always
 * checked against the one on record: an index never mixes vectors of two models.
 */
public final class SemanticIndex implements AutoCloseable {
  /** Loads a model by catalog name, directory or Hub id (the CLI passes its thread and cache options). */
  @FunctionalInterface
  public interface ModelLoader {
    EmbeddingModel load(String model);

    /** Whether the models it hands out belong to someone else, so the index must not close them. */
    default boolean shared() {
      return false;
    }

    ModelLoader DEFAULT = EmbeddingModel::load;

    /** Hands out already loaded models by the name they were loaded with; the caller closes them. */
    static ModelLoader sharing(Map<String, EmbeddingModel> models) {
      return new ModelLoader() {
        @Override
        public EmbeddingModel load(String name) {
          EmbeddingModel m = models.get(name);
          if (m == null) {
            throw new Embed4jException.ModelNotFound("model '" + name + "' is not among the loaded ones: " + models.keySet());
          }
          return m;
        }

        @Override
        public boolean shared() {
          return true;
        }
      };
    }
  }

  /**
   * @param model the model to use: null means the one on record, or {@link ModelCatalog#DEFAULT_MODEL} for a new index
   * @param loader how to load it
   * @param settings settings for a new index (null: defaults); an existing index keeps its own
   * @param job commit interval and encode batch of updates
   * @param sparse the sparse (SPLADE) model and its pruning; a new index gets sparse vectors when it names a model
   */
  public record Options(String model, ModelLoader loader, StoreSettings settings, IndexJob.Options job, SparseIndexOptions sparse) {
    public Options {
      loader = loader == null ? ModelLoader.DEFAULT : loader;
      job = job == null ? IndexJob.Options.defaults() : job;
      sparse = sparse == null ? SparseIndexOptions.defaults() : sparse;
    }

    /** Options without a sparse model named. */
    public Options(String model, ModelLoader loader, StoreSettings settings, IndexJob.Options job) {
      this(model, loader, settings, job, null);
    }

    public static Options defaults() {
      return new Options(null, ModelLoader.DEFAULT, null, IndexJob.Options.defaults());
    }

    public Options withModel(String m) {
      return new Options(m, loader, settings, job, sparse);
    }

    public Options withLoader(ModelLoader l) {
      return new Options(model, l, settings, job, sparse);
    }

    public Options withSettings(StoreSettings s) {
      return new Options(model, loader, s, job, sparse);
    }

    public Options withJob(IndexJob.Options j) {
      return new Options(model, loader, settings, j, sparse);
    }

    public Options withSparse(SparseIndexOptions s) {
      return new Options(model, loader, settings, job, s);
    }
  }

  /** A document-level result for evaluation: BEIR doc id (or source) and score. */
  public record ScoredDocument(String id, double score) {}

  private final IndexLocation location;
  private final SearchStore store;
  private final Options options;
  private final Extractors extractors = new Extractors();
  private EmbeddingModel model;
  private SparseEncoder sparseEncoder;
  private Chunker chunker;
  private Reranker reranker;

  private SemanticIndex(IndexLocation location, SearchStore store, Options options, EmbeddingModel model) {
    this.location = location;
    this.store = store;
    this.options = options;
    this.model = model;
  }

  /** Opens the index at {@code location} for updates and searches, creating it when there is none. */
  public static SemanticIndex openOrCreate(Path location, Options options) {
    IndexLocation loc = IndexLocation.of(location);
    if (loc.exists() && LuceneStore.exists(loc.current())) {
      return open(loc, options, false);
    }
    Path gen = loc.initialize();
    String name = options.model() != null ? options.model() : ModelCatalog.DEFAULT_MODEL;
    EmbeddingModel m = options.loader().load(name);
    try {
      StoreSettings settings = options.settings() != null ? options.settings() : StoreSettings.defaults();
      settings = settings.withChunking(settings.chunking().fitTo(documentTokens(m)));
      SparseEncoder sparse = null;
      SparseStamp sparseStamp = null;
      if (options.sparse().model() != null) {
        sparse = loadSparse(options.sparse(), null);
        sparseStamp = SparseStamp.of(sparse, sparseSource(options.sparse().model()));
      }
      SearchStore store;
      try {
        store = LuceneStore.create(gen, settings, ModelStamp.of(m), sparseStamp);
      } catch (RuntimeException e) {
        if (sparse != null) {
          sparse.close();
        }
        throw e;
      }
      SemanticIndex index = new SemanticIndex(loc, store, options, m);
      index.sparseEncoder = sparse;
      return index;
    } catch (RuntimeException e) {
      release(options.loader(), m);
      throw e;
    }
  }

  /** How a sparse model is recorded, so it loads again from anywhere: a directory as its absolute path, else the Hub id. */
  static String sparseSource(String model) {
    Path p = Path.of(model);
    return Files.isDirectory(p) ? p.toAbsolutePath().normalize().toString() : model;
  }

  private static SparseEncoder loadSparse(SparseIndexOptions o, SparseStamp recorded) {
    String name = o.model() != null ? o.model() : recorded.source();
    try {
      return o.loader().load(name, o.encoderOptions(recorded));
    } catch (IllegalArgumentException e) {
      throw new Embed4jException.InvalidInput(e.getMessage());
    }
  }

  /**
   * Indexing and search over any {@link SearchStore} (a server-backed one, say); the index closes
   * the store. Generations and {@link #reindex} belong to the embedded store and are not available
   * here ({@link #location()} is null).
   */
  public static SemanticIndex over(SearchStore store, Options options) {
    return new SemanticIndex(null, store, options, null);
  }

  /** Opens an existing index for searching only; it takes no lock, so another process may be updating it. */
  public static SemanticIndex openForSearch(Path location, Options options) {
    IndexLocation loc = IndexLocation.of(location);
    if (!loc.exists() || !LuceneStore.exists(loc.current())) {
      throw new Embed4jException.InvalidInput("no index at " + loc.root() + " (build one with: embed4j index PATH --index " + loc.root() + ")");
    }
    return open(loc, options, true);
  }

  private static SemanticIndex open(IndexLocation loc, Options options, boolean readOnly) {
    SearchStore store = LuceneStore.open(loc.current(), readOnly);
    SemanticIndex index = new SemanticIndex(loc, store, options, null);
    try {
      if (options.model() != null) {
        index.model(); // an explicit model is checked now, before any work is done with it
      }
      SparseIndexOptions sparse = options.sparse();
      if (sparse.model() != null || sparse.documentMaxDims() != null || sparse.documentThreshold() != null) {
        index.sparseEncoder(); // likewise an explicit sparse model or document pruning: refused when they differ from the record
      }
    } catch (RuntimeException e) {
      index.close();
      throw e;
    }
    return index;
  }

  /** Tokens of a document chunk the model reads: its limit less special tokens and the document prompt. */
  static int documentTokens(EmbeddingModel m) {
    int prompt = m.config().documentPrompt().isEmpty() ? 0 : m.tokenizer().countContentTokens(m.config().documentPrompt());
    return m.maxSeqLength() - m.tokenizer().prefixLength() - m.tokenizer().suffixLength() - prompt;
  }

  /** Where the embedded index lives; null for a store given to {@link #over}. */
  public IndexLocation location() {
    return location;
  }

  public SearchStore store() {
    return store;
  }

  public ModelStamp modelStamp() {
    return store.model();
  }

  /** Adds a second stage for {@link #search}; null removes it. */
  public void setReranker(Reranker r) {
    this.reranker = r;
  }

  /** The model, loaded on first use and checked against the one that built the index. */
  public synchronized EmbeddingModel model() {
    if (model == null) {
      String name = options.model() != null ? options.model() : store.model().source();
      EmbeddingModel m = options.loader().load(name);
      try {
        if (location != null) {
          store.model().requireCompatible(ModelStamp.of(m), location.root().toString());
        } else {
          store.model().requireCompatible(ModelStamp.of(m), store.toString(), store.rebuildAdvice(ModelStamp.of(m)));
        }
      } catch (RuntimeException e) {
        release(options.loader(), m);
        throw e;
      }
      model = m;
    }
    return model;
  }

  /**
   * The sparse encoder, loaded on first use and checked against the one that built the index.
   * Refused for an index without sparse vectors.
   */
  public synchronized SparseEncoder sparseEncoder() {
    if (sparseEncoder == null) {
      String where = location != null ? location.root().toString() : store.toString();
      SparseStamp recorded = store.sparseModel().orElseThrow(() -> new Embed4jException.InvalidInput("index " + where
          + " holds no sparse vectors; add them by rebuilding it with a sparse model: embed4j reindex --index " + where
          + " --sparse-model DIR|HUB_ID"));
      SparseEncoder s = loadSparse(options.sparse(), recorded);
      try {
        recorded.requireCompatible(SparseStamp.of(s, options.sparse().model() != null ? sparseSource(options.sparse().model()) : recorded.source()),
            where);
      } catch (RuntimeException e) {
        s.close();
        throw e;
      }
      sparseEncoder = s;
    }
    return sparseEncoder;
  }

  /** Encodes one query with the sparse model's query side (its prompt and query pruning). */
  public SparseVector embedSparseQuery(String query) {
    return sparseEncoder().encodeQuery(List.of(query))[0];
  }

  private synchronized Chunker chunker() {
    if (chunker == null) {
      chunker = new Chunker(store.settings().chunking(), TokenCounter.of(model().tokenizer()));
    }
    return chunker;
  }

  /** Brings the index up to date with {@code roots} (their new, changed and deleted sources) and commits. */
  public IndexReport update(List<SourceSet> roots, IndexListener listener, BooleanSupplier cancelled) {
    if (store.readOnly()) {
      throw new IllegalStateException("index " + location + " is open for searching only");
    }
    try {
      return new IndexJob(store, this::model, store.sparseModel().isPresent() ? this::sparseEncoder : null, this::chunker, extractors,
          options.job()).run(roots, listener, cancelled);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Embeds one query with the model's query prompt. */
  public float[] embedQuery(String query) {
    return model().encodeQuery(List.of(query))[0];
  }

  public SearchResults search(String query, SearchOptions o) {
    if (query == null || query.isBlank()) {
      throw new Embed4jException.InvalidInput("empty query");
    }
    long t0 = System.nanoTime();
    float[] vector = o.uses(SearchMode.DENSE) ? embedQuery(query) : null;
    SparseVector sparse = o.uses(SearchMode.SPARSE) ? embedSparseQuery(query) : null;
    long t1 = System.nanoTime();
    SearchOptions first = reranker == null ? o : o.withK(Math.max(o.k(), reranker.depth()));
    List<SearchHit> hits = store.search(first.toRequest(query, vector, sparse));
    if (reranker != null) {
      hits = reranker.rerank(query, hits);
      hits = hits.subList(0, Math.min(o.k(), hits.size()));
    }
    return new SearchResults(hits, t1 - t0, System.nanoTime() - t1);
  }

  /**
   * The retrieval seam for evaluation: the {@code k} best documents (BEIR doc ids, or sources) for a
   * query, best first. {@code vector} may be null (it is embedded here when the mode needs it).
   */
  public List<ScoredDocument> retrieve(String query, float[] vector, int k, SearchMode mode, SearchOptions base) {
    return retrieve(query, vector, null, k, mode, base);
  }

  /** {@link #retrieve(String, float[], int, SearchMode, SearchOptions)} with the sparse query vector given too (null: encoded here when needed). */
  public List<ScoredDocument> retrieve(String query, float[] vector, SparseVector sparse, int k, SearchMode mode, SearchOptions base) {
    SearchOptions o = base.withK(k).withMode(mode).withOnePerSource(true);
    float[] v = vector == null && o.uses(SearchMode.DENSE) ? embedQuery(query) : vector;
    SparseVector s = sparse == null && o.uses(SearchMode.SPARSE) ? embedSparseQuery(query) : sparse;
    SearchRequest r = o.toRequest(query, v, s);
    List<ScoredDocument> out = new ArrayList<>();
    for (SearchHit h : store.search(r)) {
      out.add(new ScoredDocument(h.documentId(), h.score()));
    }
    return out;
  }

  /**
   * Rebuilds the index with another model (or other settings) beside the current one, from the
   * roots it records, then swaps it in atomically. An interrupted reindex resumes when run again
   * with the same model.
   */
  public static IndexReport reindex(Path location, Options options, IndexListener listener, BooleanSupplier cancelled) {
    IndexLocation loc = IndexLocation.of(location);
    Path current = loc.current();
    if (!LuceneStore.exists(current)) {
      throw new Embed4jException.InvalidInput("no index at " + loc.root() + " to rebuild");
    }
    Map<String, String> props = LuceneStore.readProperties(current);
    String roots = props.getOrDefault(IndexJob.ROOTS, "");
    if (roots.isBlank()) {
      throw new Embed4jException.InvalidInput("index " + loc.root() + " records no source roots to rebuild from");
    }
    String modelName = Objects.requireNonNullElse(options.model(), props.get("model.source"));
    StoreSettings settings = options.settings() != null ? options.settings() : StoreSettings.fromProperties(props);
    SparseStamp sparseBefore = SparseStamp.fromProperties(props).orElse(null);
    SparseStamp sparseStamp = null;
    if (options.sparse().model() != null || sparseBefore != null) {
      // The sparse model is only hashed here; the rebuild loads it again through the index.
      try (SparseEncoder s = loadSparse(options.sparse(), sparseBefore)) {
        sparseStamp = SparseStamp.of(s, options.sparse().model() != null ? sparseSource(options.sparse().model()) : sparseBefore.source());
      }
    }
    SparseStamp sparseAfter = sparseStamp;
    EmbeddingModel m = options.loader().load(modelName);
    ModelStamp stamp = ModelStamp.of(m);
    settings = settings.withChunking(settings.chunking().fitTo(documentTokens(m)));
    StoreSettings before = StoreSettings.fromProperties(props);
    boolean sameSparse = Objects.equals(sparseBefore, sparseAfter)
        || (sparseBefore != null && sparseAfter != null && sparseBefore.sameVectors(sparseAfter));
    if (ModelStamp.fromProperties(props).map(s -> s.sameVectors(stamp)).orElse(false) && settings.chunking().equals(before.chunking())
        && sameSparse) {
      // Same model, same chunks: only the vector format changes, so rewrite the vectors instead of re-embedding.
      release(options.loader(), m);
      return convert(loc, settings, before);
    }
    Path next = loc.pending().orElse(null);
    try {
      if (next != null && LuceneStore.exists(next)) {
        Map<String, String> p = LuceneStore.readProperties(next);
        boolean same = ModelStamp.fromProperties(p).map(s -> s.sameVectors(stamp)).orElse(false)
            && StoreSettings.fromProperties(p).equals(settings)
            && Objects.equals(SparseStamp.fromProperties(p).orElse(null), sparseAfter);
        if (!same) {
          IndexLocation.deleteTree(next);
          next = null;
        }
      } else if (next != null) {
        IndexLocation.deleteTree(next);
        next = null;
      }
    } catch (IOException e) {
      release(options.loader(), m);
      throw new UncheckedIOException(e);
    }
    SearchStore store;
    try {
      store = next != null ? LuceneStore.open(next, false) : LuceneStore.create(next = loc.next(), settings, stamp, sparseAfter);
    } catch (RuntimeException e) {
      release(options.loader(), m);
      throw e;
    }
    IndexReport report;
    SparseIndexOptions sparseOptions = sparseAfter == null ? options.sparse()
        : options.sparse().withModel(sparseAfter.source()).withDocumentPruning(sparseAfter.documentMaxDims(), sparseAfter.documentThreshold());
    try (SemanticIndex index = new SemanticIndex(loc, store, options.withModel(modelName).withSparse(sparseOptions), m)) {
      List<SourceSet> sets = new ArrayList<>();
      for (String spec : roots.split("\n")) {
        sets.add(SourceSet.fromSpec(spec, List.of(loc.root())));
      }
      report = index.update(sets, listener, cancelled);
    }
    if (!report.cancelled()) {
      loc.swapTo(next);
    }
    return report;
  }

  private static IndexReport convert(IndexLocation loc, StoreSettings settings, StoreSettings before) {
    if (settings.equals(before)) {
      throw new Embed4jException.InvalidInput("index " + loc.root() + " already uses this model and these settings; nothing to rebuild");
    }
    long t0 = System.nanoTime();
    try {
      for (Path stale : loc.pending().stream().toList()) {
        IndexLocation.deleteTree(stale);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path next = loc.next();
    LuceneStore.convert(loc.current(), next, settings);
    int sources = countSources(next);
    loc.swapTo(next);
    return new IndexReport(0, 0, 0, sources, 0, 0, List.of(), 0, 0, 0, System.nanoTime() - t0, 0,
        io.embed4j.encode.EncodeStats.EMPTY, false);
  }

  private static int countSources(Path generation) {
    try (LuceneStore s = LuceneStore.open(generation, true)) {
      return s.sources().size();
    }
  }

  private static void release(ModelLoader loader, EmbeddingModel m) {
    if (!loader.shared()) {
      m.close();
    }
  }

  @Override
  public void close() {
    try {
      store.close();
    } finally {
      if (sparseEncoder != null) {
        sparseEncoder.close();
      }
      if (model != null) {
        release(options.loader(), model);
      }
    }
  }
}

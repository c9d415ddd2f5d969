package io.embed4j.index.store.lucene;

import io.embed4j.Embed4jException;
import io.embed4j.index.chunk.Chunk;
import io.embed4j.index.fusion.Ranked;
import io.embed4j.index.store.ChunkRecord;
import io.embed4j.index.store.Filter;
import io.embed4j.index.store.ModelStamp;
import io.embed4j.index.store.SearchHit;
import io.embed4j.index.store.SearchMode;
import io.embed4j.index.store.SearchRequest;
import io.embed4j.index.store.SearchStore;
import io.embed4j.index.store.SourceRecord;
import io.embed4j.index.store.SparseStamp;
import io.embed4j.index.store.StoreSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.QueryBuilder;

/**
 * The embedded {@link SearchStore}: one Lucene index in one directory.
 *
 * <p>Layout: one Lucene document per chunk (stored text and position, a BM25 field with the
 * heading and text through Lucene's English analyzer, keyword fields for filters, and a vector
 * field in an HNSW graph), plus one document per source (its hash and fingerprint, chunk count and
 * skip note). A source's documents are replaced in one {@code updateDocuments} call, and the model,
 * settings and properties ride in each commit's user data, so a commit is a consistent snapshot of
 * all of it: a process killed between commits leaves the previous one, which the next run resumes
 * from.
 */
public final class LuceneStore implements SearchStore {
  static final String KIND = "kind";
  static final String KIND_CHUNK = "chunk";
  static final String KIND_SOURCE = "source";
  static final String SOURCE = "source";
  static final String SOURCE_KEY = "source_key";
  static final String PATH = "path";
  static final String ORDINAL = "ord";
  static final String FORMAT = "format";
  static final String RECORD = "record";
  static final String TEXT = "text";
  static final String HEADING = "heading";
  static final String BM25 = "bm25";
  static final String START_LINE = "start_line";
  static final String END_LINE = "end_line";
  static final String START_OFFSET = "start_offset";
  static final String END_OFFSET = "end_offset";
  static final String PAGE = "page";
  static final String META = "meta.";
  static final String VECTOR = "vector";
  static final String FINGERPRINT = "fingerprint";
  static final String SHA256 = "sha256";
  static final String CHUNKS = "chunks";
  static final String NOTE = "note";
  // Source documents keep path and format in fields of their own: Lucene wants one schema per field name.
  static final String SOURCE_PATH = "source_path";
  static final String SOURCE_FORMAT = "source_format";
  private static final String FORMAT_VERSION_KEY = "embed4j.index.version";
  private static final String FORMAT_VERSION = "1";

  private final Path path;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final ModelStamp model;
  private final SparseStamp sparse;
  private final StoreSettings settings;
  private final Map<String, String> properties;
  private final VectorSimilarityFunction similarity;
  private final Analyzer analyzer = new EnglishAnalyzer();

  private LuceneStore(Path path, Directory directory, IndexWriter writer, Map<String, String> properties) throws IOException {
    this.path = path;
    this.directory = directory;
    this.writer = writer;
    this.properties = new TreeMap<>(properties);
    this.model = ModelStamp.fromProperties(properties)
        .orElseThrow(() -> new Embed4jException.InvalidInput(path + ": not an embed4j index (no model recorded)"));
    this.sparse = SparseStamp.fromProperties(properties).orElse(null);
    this.settings = StoreSettings.fromProperties(properties);
    this.similarity = LuceneVectors.similarity(model);
    this.searchers = writer != null ? new SearcherManager(writer, true, true, null) : new SearcherManager(directory, null);
  }

  /** Creates an empty index for {@code model} and commits it, so the model is on record from the start. */
  public static LuceneStore create(Path dir, StoreSettings settings, ModelStamp model) {
    return create(dir, settings, model, null);
  }

  /** Creates an empty index for {@code model} and, when {@code sparse} is not null, that sparse model's vectors too. */
  public static LuceneStore create(Path dir, StoreSettings settings, ModelStamp model, SparseStamp sparse) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put(FORMAT_VERSION_KEY, FORMAT_VERSION);
    props.putAll(model.toProperties());
    if (sparse != null) {
      props.putAll(sparse.toProperties());
    }
    props.putAll(settings.toProperties());
    LuceneVectors.similarity(model); // refuse similarities HNSW cannot serve before writing anything
    try {
      Directory d = FSDirectory.open(dir);
      IndexWriter w = openWriter(dir, d, settings, IndexWriterConfig.OpenMode.CREATE);
      w.setLiveCommitData(props.entrySet());
      w.commit();
      return new LuceneStore(dir, d, w, props);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create index at " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Opens an existing index; read-only stores take no lock, so they can search while another process writes. */
  public static LuceneStore open(Path dir, boolean readOnly) {
    try {
      Directory d = FSDirectory.open(dir);
      if (!DirectoryReader.indexExists(d)) {
        d.close();
        throw new Embed4jException.InvalidInput(dir + ": no index here (build one with: embed4j index PATH --index ...)");
      }
      Map<String, String> props = SegmentInfos.readLatestCommit(d).getUserData();
      IndexWriter w = readOnly ? null : openWriter(dir, d, StoreSettings.fromProperties(props), IndexWriterConfig.OpenMode.APPEND);
      if (w != null) {
        w.setLiveCommitData(props.entrySet());
      }
      return new LuceneStore(dir, d, w, props);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open index at " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@code dir} holds a committed index. */
  public static boolean exists(Path dir) {
    if (!java.nio.file.Files.isDirectory(dir)) {
      return false;
    }
    try (Directory d = FSDirectory.open(dir)) {
      return DirectoryReader.indexExists(d);
    } catch (IOException e) {
      return false;
    }
  }

  /** The user data of the latest commit: model, settings and properties. */
  public static Map<String, String> readProperties(Path dir) {
    try (Directory d = FSDirectory.open(dir)) {
      return SegmentInfos.readLatestCommit(d).getUserData();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read index at " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes a copy of the index at {@code from} into the empty directory {@code to} with other
   * vector settings (encoding, HNSW parameters), rebuilding the graph from the stored float vectors:
   * no text is re-read and nothing is re-embedded. Chunking must be unchanged.
   */
  public static void convert(Path from, Path to, StoreSettings settings) {
    Map<String, String> props = new TreeMap<>(readProperties(from));
    StoreSettings old = StoreSettings.fromProperties(props);
    if (!old.chunking().equals(settings.chunking())) {
      throw new IllegalArgumentException("convert keeps the chunks; chunking differs: " + old.chunking() + " vs " + settings.chunking());
    }
    props.putAll(settings.toProperties());
    try (Directory src = FSDirectory.open(from); DirectoryReader reader = DirectoryReader.open(src);
        Directory dst = FSDirectory.open(to);
        IndexWriter w = openWriter(to, dst, settings, IndexWriterConfig.OpenMode.CREATE)) {
      List<org.apache.lucene.index.CodecReader> readers = new ArrayList<>();
      for (LeafReaderContext ctx : reader.leaves()) {
        readers.add(org.apache.lucene.index.SlowCodecReaderWrapper.wrap(ctx.reader()));
      }
      w.addIndexes(readers.toArray(new org.apache.lucene.index.CodecReader[0]));
      w.setLiveCommitData(props.entrySet());
      w.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot convert " + from + " into " + to + ": " + e.getMessage(), e);
    }
  }

  private static IndexWriter openWriter(Path dir, Directory d, StoreSettings settings, IndexWriterConfig.OpenMode mode) throws IOException {
    IndexWriterConfig config = new IndexWriterConfig(new EnglishAnalyzer())
        .setOpenMode(mode)
        .setCodec(LuceneVectors.codec(settings))
        .setRAMBufferSizeMB(128)
        .setCommitOnClose(false);
    try {
      return new IndexWriter(d, config);
    } catch (LockObtainFailedException e) {
      d.close();
      throw new Embed4jException.InvalidInput("index " + dir + " is being written by another embed4j process; wait for it to finish");
    }
  }

  public Path path() {
    return path;
  }

  @Override
  public ModelStamp model() {
    return model;
  }

  @Override
  public Optional<SparseStamp> sparseModel() {
    return Optional.ofNullable(sparse);
  }

  @Override
  public StoreSettings settings() {
    return settings;
  }

  @Override
  public synchronized Map<String, String> properties() {
    return Map.copyOf(properties);
  }

  @Override
  public synchronized void setProperty(String key, String value) {
    requireWritable();
    properties.put(key, value);
    writer.setLiveCommitData(new TreeMap<>(properties).entrySet());
  }

  @Override
  public boolean readOnly() {
    return writer == null;
  }

  private void requireWritable() {
    if (writer == null) {
      throw new IllegalStateException("store at " + path + " is open read-only");
    }
  }

  // ---- writing

  @Override
  public void put(SourceRecord source, List<ChunkRecord> chunks) {
    requireWritable();
    List<Document> docs = new ArrayList<>(chunks.size() + 1);
    for (ChunkRecord c : chunks) {
      if (c.vector().length != model.dimensions()) {
        throw new IllegalArgumentException("chunk " + c.ordinal() + " of " + source.id() + " has a " + c.vector().length
            + "-d vector; this index holds " + model.dimensions() + "-d vectors");
      }
      requireSparseFits(source, c);
      docs.add(chunkDocument(c));
    }
    docs.add(sourceDocument(source));
    try {
      writer.updateDocuments(new Term(SOURCE, source.id()), docs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A chunk has a sparse vector exactly when the index holds them, and its terms are in the vocabulary. */
  private void requireSparseFits(SourceRecord source, ChunkRecord c) {
    if (sparse == null && c.sparse() != null) {
      throw new IllegalArgumentException("chunk " + c.ordinal() + " of " + source.id() + " has a sparse vector; index " + path
          + " holds none (create it with a sparse model)");
    }
    if (sparse != null) {
      if (c.sparse() == null) {
        throw new IllegalArgumentException("chunk " + c.ordinal() + " of " + source.id() + " has no sparse vector; index " + path
            + " holds sparse vectors of " + sparse.describe() + " for every chunk");
      }
      int[] ids = c.sparse().indices();
      if (ids.length > 0 && ids[ids.length - 1] >= sparse.dimensions()) {
        throw new IllegalArgumentException("chunk " + c.ordinal() + " of " + source.id() + " has sparse term " + ids[ids.length - 1]
            + "; the sparse vocabulary has " + sparse.dimensions() + " terms");
      }
    }
  }

  @Override
  public void updateSource(SourceRecord source) {
    requireWritable();
    try {
      writer.updateDocument(new Term(SOURCE_KEY, source.id()), sourceDocument(source));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void delete(String sourceId) {
    requireWritable();
    try {
      writer.deleteDocuments(new Term(SOURCE, sourceId));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void commit() {
    requireWritable();
    try {
      writer.setLiveCommitData(new TreeMap<>(properties).entrySet());
      writer.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("commit to " + path + " failed: " + e.getMessage(), e);
    }
  }

  private Document chunkDocument(ChunkRecord c) {
    Chunk chunk = c.chunk();
    Document doc = new Document();
    doc.add(new StringField(KIND, KIND_CHUNK, Field.Store.NO));
    doc.add(new StringField(SOURCE, c.sourceId(), Field.Store.YES));
    doc.add(new StringField(PATH, c.path(), Field.Store.YES));
    doc.add(new StoredField(ORDINAL, c.ordinal()));
    doc.add(new StringField(FORMAT, c.format(), Field.Store.YES));
    if (chunk.record() != null) {
      doc.add(new StringField(RECORD, chunk.record(), Field.Store.YES));
    }
    doc.add(new StoredField(TEXT, chunk.text()));
    if (!chunk.heading().isEmpty()) {
      doc.add(new StoredField(HEADING, chunk.heading()));
    }
    doc.add(new TextField(BM25, chunk.heading().isEmpty() ? chunk.text() : chunk.heading() + "\n" + chunk.text(), Field.Store.NO));
    doc.add(new StoredField(START_LINE, chunk.startLine()));
    doc.add(new StoredField(END_LINE, chunk.endLine()));
    doc.add(new StoredField(START_OFFSET, chunk.startOffset()));
    doc.add(new StoredField(END_OFFSET, chunk.endOffset()));
    doc.add(new StoredField(PAGE, chunk.page()));
    chunk.metadata().forEach((k, v) -> doc.add(new StringField(META + k, v, Field.Store.YES)));
    doc.add(new KnnFloatVectorField(VECTOR, c.vector(), similarity));
    if (c.sparse() != null) {
      SparseFeatures.fields(c.sparse()).forEach(doc::add);
    }
    return doc;
  }

  private static Document sourceDocument(SourceRecord s) {
    Document doc = new Document();
    doc.add(new StringField(KIND, KIND_SOURCE, Field.Store.NO));
    doc.add(new StringField(SOURCE, s.id(), Field.Store.YES));
    doc.add(new StringField(SOURCE_KEY, s.id(), Field.Store.NO));
    doc.add(new StoredField(SOURCE_PATH, s.path()));
    if (s.fingerprint() != null) {
      doc.add(new StoredField(FINGERPRINT, s.fingerprint()));
    }
    doc.add(new StoredField(SHA256, s.sha256()));
    doc.add(new StoredField(SOURCE_FORMAT, s.format()));
    doc.add(new StoredField(CHUNKS, s.chunks()));
    doc.add(new StoredField(NOTE, s.note()));
    return doc;
  }

  // ---- reading

  private interface DocVisitor {
    void visit(LeafReaderContext ctx, int doc) throws IOException;
  }

  private IndexSearcher acquire() throws IOException {
    if (writer != null) {
      searchers.maybeRefreshBlocking();
    } else {
      try {
        searchers.maybeRefresh(); // picks up commits another process made
      } catch (java.nio.file.NoSuchFileException e) {
        // A reindex swapped this generation out and removed it: keep searching the open snapshot.
      }
    }
    return searchers.acquire();
  }

  /** Calls {@code visitor} for every live document matching {@code query}, in index order. */
  private static void forEachMatch(IndexSearcher searcher, Query query, DocVisitor visitor) throws IOException {
    Weight w = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1f);
    for (LeafReaderContext ctx : searcher.getIndexReader().leaves()) {
      Scorer s = w.scorer(ctx);
      if (s == null) {
        continue;
      }
      Bits live = ctx.reader().getLiveDocs();
      DocIdSetIterator it = s.iterator();
      for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        if (live == null || live.get(doc)) {
          visitor.visit(ctx, doc);
        }
      }
    }
  }

  @Override
  public Map<String, SourceRecord> sources() {
    return sources(new TermQuery(new Term(KIND, KIND_SOURCE)));
  }

  @Override
  public Optional<SourceRecord> source(String id) {
    BooleanQuery q = new BooleanQuery.Builder()
        .add(new TermQuery(new Term(KIND, KIND_SOURCE)), BooleanClause.Occur.FILTER)
        .add(new TermQuery(new Term(SOURCE_KEY, id)), BooleanClause.Occur.FILTER).build();
    return sources(q).values().stream().findFirst();
  }

  private Map<String, SourceRecord> sources(Query query) {
    Map<String, SourceRecord> out = new LinkedHashMap<>();
    try {
      IndexSearcher searcher = acquire();
      try {
        forEachMatch(searcher, query, (ctx, doc) -> {
          Document d = ctx.reader().storedFields().document(doc);
          SourceRecord r = new SourceRecord(d.get(SOURCE), d.get(SOURCE_PATH), d.get(FINGERPRINT), d.get(SHA256), d.get(SOURCE_FORMAT),
              d.getField(CHUNKS).numericValue().intValue(), d.get(NOTE));
          out.put(r.id(), r);
        });
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Override
  public long chunkCount() {
    try {
      IndexSearcher searcher = acquire();
      try {
        return searcher.count(new TermQuery(new Term(KIND, KIND_CHUNK)));
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<SearchHit> search(SearchRequest request) {
    if (request.vector() != null && request.vector().length != model.dimensions()) {
      throw new Embed4jException.InvalidInput("query vector has " + request.vector().length + " dimensions; index "
          + path + " holds " + model.dimensions() + "-d vectors of " + model.describe());
    }
    if (request.uses(SearchMode.SPARSE) && sparse == null) {
      throw new Embed4jException.InvalidInput("index " + path + " holds no sparse vectors, so it cannot search in " + request.mode().cliName()
          + " mode with sparse; build one with a sparse model: embed4j reindex --index INDEX --sparse-model DIR|HUB_ID");
    }
    try {
      IndexSearcher searcher = acquire();
      try {
        Query filter = filterQuery(request.filters());
        int n = request.k();
        while (true) {
          List<Ranked<Integer>> ranked = rank(searcher, request, filter, n);
          if (!request.onePerSource()) {
            return load(searcher, ranked, request.k());
          }
          List<Ranked<Integer>> best = bestPerSource(searcher, ranked, request.k());
          if (best.size() >= request.k() || ranked.size() < n) {
            return load(searcher, best, request.k());
          }
          n *= 4; // several chunks of the same sources filled the list: look deeper
        }
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<Ranked<Integer>> rank(IndexSearcher searcher, SearchRequest r, Query filter, int n) throws IOException {
    return switch (r.mode()) {
      case DENSE -> dense(searcher, r.vector(), n, Math.max(n, r.candidates()), filter);
      case EXACT -> exact(searcher, r.vector(), n, filter);
      case BM25 -> bm25(searcher, r.text(), n, filter);
      case SPARSE -> sparse(searcher, r.sparseVector(), n, filter);
      case HYBRID -> {
        int depth = Math.max(n, r.candidates());
        List<List<Ranked<Integer>>> rankings = new ArrayList<>(r.fused().size());
        for (SearchMode m : r.fused()) {
          rankings.add(switch (m) {
            case DENSE -> dense(searcher, r.vector(), depth, depth, filter);
            case SPARSE -> sparse(searcher, r.sparseVector(), depth, filter);
            case BM25 -> bm25(searcher, r.text(), depth, filter);
            default -> throw new IllegalArgumentException("hybrid cannot fuse " + m.cliName());
          });
        }
        yield r.fusion().fuse(rankings, n);
      }
    };
  }

  /** The chunks with the largest dot product between their sparse vector and {@code q}. */
  private List<Ranked<Integer>> sparse(IndexSearcher searcher, io.embed4j.sparse.SparseVector q, int n, Query filter) throws IOException {
    Query query = SparseFeatures.query(q);
    if (query == null) {
      return List.of(); // an empty query vector matches nothing
    }
    if (filter != null) {
      query = new BooleanQuery.Builder().add(query, BooleanClause.Occur.MUST).add(filter, BooleanClause.Occur.FILTER).build();
    }
    return fromTopDocs(searcher.search(query, n), false);
  }

  /** HNSW search gathering {@code candidates}, keeping {@code n}; quantized graphs are rescored with the float vectors. */
  private List<Ranked<Integer>> dense(IndexSearcher searcher, float[] q, int n, int candidates, Query filter) throws IOException {
    Query query;
    if (settings.encoding() == io.embed4j.index.store.VectorEncoding.FLOAT32) {
      query = new KnnFloatVectorQuery(VECTOR, q, candidates, filter);
    } else {
      int gathered = Math.max(candidates, n * settings.encoding().oversample());
      query = RescoreTopNQuery.createFullPrecisionRescorerQuery(new KnnFloatVectorQuery(VECTOR, q, gathered, filter), q, VECTOR, n);
    }
    return fromTopDocs(searcher.search(query, n), true);
  }

  /** Brute force over every live vector that passes the filter: the reference for recall. */
  private List<Ranked<Integer>> exact(IndexSearcher searcher, float[] q, int n, Query filter) throws IOException {
    PriorityQueue<ScoreDoc> heap = new PriorityQueue<>(n + 1, (a, b) -> a.score != b.score
        ? Float.compare(a.score, b.score) : Integer.compare(b.doc, a.doc));
    Weight filterWeight = filter == null ? null
        : searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
    for (LeafReaderContext ctx : searcher.getIndexReader().leaves()) {
      FloatVectorValues values = ctx.reader().getFloatVectorValues(VECTOR);
      if (values == null) {
        continue;
      }
      DocIdSetIterator allowed = null;
      if (filterWeight != null) {
        Scorer s = filterWeight.scorer(ctx);
        if (s == null) {
          continue;
        }
        allowed = s.iterator();
      }
      Bits live = ctx.reader().getLiveDocs();
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        if (live != null && !live.get(doc)) {
          continue;
        }
        if (allowed != null) {
          if (allowed.docID() < doc) {
            allowed.advance(doc);
          }
          if (allowed.docID() != doc) {
            continue;
          }
        }
        float score = similarity.compare(q, values.vectorValue(it.index()));
        int global = ctx.docBase + doc;
        if (heap.size() < n) {
          heap.add(new ScoreDoc(global, score));
        } else if (score > heap.peek().score) {
          heap.poll();
          heap.add(new ScoreDoc(global, score));
        }
      }
    }
    List<ScoreDoc> best = new ArrayList<>(heap);
    best.sort((a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.doc, b.doc));
    return fromTopDocs(new TopDocs(null, best.toArray(new ScoreDoc[0])), true);
  }

  private List<Ranked<Integer>> bm25(IndexSearcher searcher, String text, int n, Query filter) throws IOException {
    Query q = new QueryBuilder(analyzer).createBooleanQuery(BM25, text);
    if (q == null) {
      return List.of(); // nothing left after analysis (only stop words or punctuation)
    }
    if (filter != null) {
      q = new BooleanQuery.Builder().add(q, BooleanClause.Occur.MUST).add(filter, BooleanClause.Occur.FILTER).build();
    }
    return fromTopDocs(searcher.search(q, n), false);
  }

  private List<Ranked<Integer>> fromTopDocs(TopDocs td, boolean vectorScores) {
    List<Ranked<Integer>> out = new ArrayList<>(td.scoreDocs.length);
    for (ScoreDoc sd : td.scoreDocs) {
      out.add(new Ranked<>(sd.doc, vectorScores ? LuceneVectors.toModelScore(similarity, sd.score) : sd.score));
    }
    return out;
  }

  private static List<Ranked<Integer>> bestPerSource(IndexSearcher searcher, List<Ranked<Integer>> ranked, int k) throws IOException {
    StoredFields fields = searcher.storedFields();
    Set<String> seen = new LinkedHashSet<>();
    List<Ranked<Integer>> out = new ArrayList<>();
    for (Ranked<Integer> r : ranked) {
      String source = fields.document(r.key(), Set.of(SOURCE)).get(SOURCE);
      if (seen.add(source)) {
        out.add(r);
        if (out.size() == k) {
          break;
        }
      }
    }
    return out;
  }

  private static List<SearchHit> load(IndexSearcher searcher, List<Ranked<Integer>> ranked, int k) throws IOException {
    StoredFields fields = searcher.storedFields();
    List<SearchHit> out = new ArrayList<>(Math.min(k, ranked.size()));
    for (Ranked<Integer> r : ranked.subList(0, Math.min(k, ranked.size()))) {
      Document d = fields.document(r.key());
      Map<String, String> meta = new HashMap<>();
      for (IndexableField f : d.getFields()) {
        if (f.name().startsWith(META)) {
          meta.put(f.name().substring(META.length()), f.stringValue());
        }
      }
      out.add(new SearchHit(d.get(SOURCE), d.get(PATH), d.get(RECORD), intField(d, ORDINAL), r.score(), d.get(TEXT),
          d.get(HEADING) == null ? "" : d.get(HEADING), intField(d, START_LINE), intField(d, END_LINE),
          intField(d, START_OFFSET), intField(d, END_OFFSET), intField(d, PAGE), d.get(FORMAT), meta));
    }
    return out;
  }

  private static int intField(Document d, String name) {
    IndexableField f = d.getField(name);
    return f == null ? 0 : f.numericValue().intValue();
  }

  /** The filters as one Lucene query (null when there are none). */
  static Query filterQuery(List<Filter> filters) {
    if (filters.isEmpty()) {
      return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (Filter f : filters) {
      String field = switch (f.field()) {
        case "path" -> PATH;
        case "format" -> FORMAT;
        case "record" -> RECORD;
        default -> META + f.field();
      };
      String pattern = f.pattern();
      if (field.equals(PATH) && !pattern.startsWith("/") && !pattern.startsWith("*")) {
        pattern = "*/" + pattern; // a relative glob matches at any directory
      }
      Term term = new Term(field, pattern);
      b.add(pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 ? new WildcardQuery(term) : new TermQuery(term),
          BooleanClause.Occur.FILTER);
    }
    return b.build();
  }

  @Override
  public void close() {
    try {
      searchers.close();
      if (writer != null) {
        writer.close(); // commitOnClose is off: anything not committed is dropped, as after a crash
      }
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "LuceneStore[" + path + ", " + model.describe() + ", " + settings + "]";
  }
}

package io.embed4j.solr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.Embed4jException;
import io.embed4j.EmbeddingModel;
import io.embed4j.index.fusion.Ranked;
import io.embed4j.index.store.ChunkRecord;
import io.embed4j.index.store.ModelStamp;
import io.embed4j.index.store.SearchHit;
import io.embed4j.index.store.SearchMode;
import io.embed4j.index.store.SearchRequest;
import io.embed4j.index.store.SearchStore;
import io.embed4j.index.store.SourceRecord;
import io.embed4j.index.store.StoreSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.util.ContentStreamBase;

/**
 * A {@link SearchStore} in a SolrCloud collection, through SolrJ: sharded and replicated, searched
 * with knn (HNSW), BM25 and hybrid queries, for the same search, evaluation and rerank code as the
 * embedded index.
 *
 * <p>Writes wait in memory until {@link #commit()}, which sends them in batches (deletes, then
 * chunks, sources and the store's record), each batch retried with backoff on another node when a
 * node is down, and then commits the collection and reads the ids back, sending again what is
 * missing. Every document's id comes from its source and chunk number, so a retried or repeated
 * batch overwrites instead of duplicating. A commit is not
 * one transaction as in the embedded index: a process killed while committing leaves some sources
 * sent and others not, and the next run of the same job sends the rest (a source counts as indexed
 * once its source document is there, and that is sent with its chunks).
 */
public final class SolrStore implements SearchStore {
  /**
   * Documents per update request, retries, and how long one request may take before it is
   * abandoned and tried again (on the next node).
   */
  public record Options(int batchSize, RetryPolicy retry, Duration requestTimeout) {
    public Options {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
      }
      if (requestTimeout.toMillis() < 1) {
        throw new IllegalArgumentException("request timeout must be positive, got " + requestTimeout);
      }
    }

    public static Options defaults() {
      return new Options(500, RetryPolicy.defaults(), Duration.ofSeconds(60));
    }

    public Options withBatchSize(int n) {
      return new Options(n, retry, requestTimeout);
    }

    public Options withRetry(RetryPolicy r) {
      return new Options(batchSize, r, requestTimeout);
    }

    public Options withRequestTimeout(Duration t) {
      return new Options(batchSize, retry, t);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMA_KEY = "embed4j.solr.schema";
  // Clauses per delete-by-query or read-back query: well under Solr's default maxBooleanClauses (1024).
  private static final int CLAUSES = 400;
  // Resend-and-commit rounds for documents a commit's read-back does not find.
  private static final int READ_BACK_ROUNDS = 3;

  private final SolrNodes nodes;
  private final String collection;
  private final Options options;
  private final boolean readOnly;
  private final ModelStamp model;
  private final StoreSettings settings;
  private final String solrSimilarity;
  private final Map<String, String> properties;
  /** Changes since the last commit, by source id; null chunks means "chunks untouched". */
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private boolean propertiesChanged;
  private long resent;
  // Read while a commit holds the store's lock (a test stops a node part-way through a commit).
  private final AtomicLong documentsSent = new AtomicLong();

  private record Pending(SourceRecord source, List<ChunkRecord> chunks) {
    boolean deleted() {
      return source == null;
    }
  }

  private SolrStore(SolrNodes nodes, Options options, boolean readOnly, Map<String, String> properties) {
    this.nodes = nodes;
    this.collection = nodes.location().collection();
    this.options = options;
    this.readOnly = readOnly;
    this.properties = new TreeMap<>(properties);
    this.model = ModelStamp.fromProperties(properties).orElseThrow(() -> new Embed4jException.InvalidInput(
        "Solr collection " + nodes.location() + " records no model: not an embed4j store"));
    this.settings = StoreSettings.fromProperties(properties);
    this.solrSimilarity = SolrConfigSet.similarity(model);
  }

  /**
   * Opens the store at {@code location}, creating the configset and collection for {@code model}
   * when there is none. An existing store built with another model is refused, naming both.
   */
  public static SolrStore openOrCreate(SolrLocation location, StoreSettings settings, ModelStamp model, Options options) {
    SolrNodes nodes = new SolrNodes(location, options);
    try {
      if (collectionExists(nodes)) {
        SolrStore store = new SolrStore(nodes, options, false, readRecord(nodes));
        store.model.requireCompatible(model, location.toString(), store.rebuildAdvice(model));
        return store;
      }
      return create(nodes, settings, model, options);
    } catch (RuntimeException e) {
      nodes.close();
      throw e;
    }
  }

  /**
   * {@code settings} with chunks no longer than {@code model} reads (its limit less special tokens
   * and document prompt), as the embedded index fits them when it creates an index.
   */
  public static StoreSettings fitted(StoreSettings settings, EmbeddingModel model) {
    String prompt = model.config().documentPrompt();
    int promptTokens = prompt.isEmpty() ? 0 : model.tokenizer().countContentTokens(prompt);
    int tokens = model.maxSeqLength() - model.tokenizer().prefixLength() - model.tokenizer().suffixLength() - promptTokens;
    return settings.withChunking(settings.chunking().fitTo(tokens));
  }

  /** Opens an existing store; {@code readOnly} refuses writes. */
  public static SolrStore open(SolrLocation location, boolean readOnly, Options options) {
    SolrNodes nodes = new SolrNodes(location, options);
    try {
      if (!collectionExists(nodes)) {
        throw new Embed4jException.InvalidInput("Solr has no collection " + location.collection() + " at " + location
            + " (build one with: embed4j index PATH --store " + location + ")");
      }
      return new SolrStore(nodes, options, readOnly, readRecord(nodes));
    } catch (RuntimeException e) {
      nodes.close();
      throw e;
    }
  }

  /** Deletes the collection and its configset (tests, and starting over). */
  public static void drop(SolrLocation location, Options options) {
    try (SolrNodes nodes = new SolrNodes(location, options)) {
      if (collectionExists(nodes)) {
        nodes.call("deleting collection " + location.collection(),
            c -> CollectionAdminRequest.deleteCollection(location.collection()).process(c));
      }
      nodes.call("deleting configset", c -> new ConfigSetAdminRequest.Delete().setConfigSetName(configSetName(location)).process(c));
    }
  }

  private static String configSetName(SolrLocation location) {
    return "embed4j-" + location.collection();
  }

  /** Whether the collection exists (a first contact: fails within seconds when no node answers). */
  public static boolean exists(SolrLocation location, Options options) {
    try (SolrNodes nodes = new SolrNodes(location, options)) {
      return collectionExists(nodes);
    }
  }

  private static boolean collectionExists(SolrNodes nodes) {
    // A first contact: a wrong address is reported in seconds, not after a job's patient retries.
    List<String> names = nodes.call("listing collections", RetryPolicy.FIRST_CONTACT, c -> CollectionAdminRequest.List.listCollections(c));
    return names.contains(nodes.location().collection());
  }

  private static SolrStore create(SolrNodes nodes, StoreSettings settings, ModelStamp model, Options options) {
    SolrLocation loc = nodes.location();
    byte[] zip = SolrConfigSet.zip(model, settings); // refuses what Solr cannot serve before anything is made
    String configSet = configSetName(loc);
    nodes.call("uploading configset " + configSet, c -> new ConfigSetAdminRequest.Upload()
        .setConfigSetName(configSet)
        .setUploadStream(new ContentStreamBase.ByteArrayStream(zip, configSet + ".zip", "application/zip"))
        .setOverwrite(true)
        .process(c));
    try {
      nodes.call("creating collection " + loc.collection(), c -> CollectionAdminRequest
          .createCollection(loc.collection(), configSet, loc.shards(), loc.replicas())
          .process(c));
    } catch (Embed4jException.InvalidInput e) {
      // A try abandoned at the request timeout may have created it after all, and the retry was then
      // refused as a duplicate: go on with the collection that is there.
      if (!collectionExists(nodes)) {
        throw e;
      }
    }
    Map<String, String> props = new TreeMap<>();
    props.put(SCHEMA_KEY, SolrConfigSet.SCHEMA_VERSION);
    props.putAll(model.toProperties());
    props.putAll(settings.toProperties());
    SolrStore store = new SolrStore(nodes, options, false, props);
    store.propertiesChanged = true;
    store.commit(); // the model is on record from the start
    return store;
  }

  private static Map<String, String> readRecord(SolrNodes nodes) {
    String coll = nodes.location().collection();
    QueryResponse r = nodes.call("reading the store's record", c -> c.query(coll,
        new SolrQuery("{!term f=id}" + SolrDocuments.META_ID).setFields("properties").setRows(1)));
    if (r.getResults().isEmpty()) {
      throw new Embed4jException.InvalidInput("Solr collection " + nodes.location()
          + " is not an embed4j store (no model recorded); use another collection name");
    }
    try {
      return JSON.readValue(SolrDocuments.str(r.getResults().get(0), "properties"), new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new Embed4jException.InvalidInput("Solr collection " + nodes.location() + ": unreadable store record: " + e.getOriginalMessage());
    }
  }

  public SolrLocation location() {
    return nodes.location();
  }

  /** Requests tried again since the store was opened, and why (the latest ones): for tests. */
  int retries() {
    return nodes.retries();
  }

  List<String> retryReasons() {
    return nodes.retryReasons();
  }

  @Override
  public ModelStamp model() {
    return model;
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
    propertiesChanged = true;
  }

  @Override
  public boolean readOnly() {
    return readOnly;
  }

  private void requireWritable() {
    if (readOnly) {
      throw new IllegalStateException("store " + nodes.location() + " is open read-only");
    }
  }

  /** A Solr store is not reindexed in place: a new collection is built beside it, or this one deleted. */
  @Override
  public String rebuildAdvice(ModelStamp other) {
    return "index into another collection for model " + other.source() + " (another name in the --store address; a Solr alias "
        + "can then switch readers to it), or delete collection " + collection + " and index again";
  }

  // ---- writing

  @Override
  public synchronized void put(SourceRecord source, List<ChunkRecord> chunks) {
    requireWritable();
    for (ChunkRecord c : chunks) {
      if (c.vector().length != model.dimensions()) {
        throw new IllegalArgumentException("chunk " + c.ordinal() + " of " + source.id() + " has a " + c.vector().length
            + "-d vector; this store holds " + model.dimensions() + "-d vectors");
      }
    }
    pending.remove(source.id()); // keep the order of the latest change
    pending.put(source.id(), new Pending(source, List.copyOf(chunks)));
  }

  @Override
  public synchronized void updateSource(SourceRecord source) {
    requireWritable();
    Pending p = pending.get(source.id());
    pending.put(source.id(), new Pending(source, p == null ? null : p.chunks()));
  }

  @Override
  public synchronized void delete(String sourceId) {
    requireWritable();
    pending.remove(sourceId);
    pending.put(sourceId, new Pending(null, List.of()));
  }

  @Override
  public synchronized void commit() {
    requireWritable();
    sendDeletes();
    UpdateBatches out = batches();
    List<String> sent = new ArrayList<>();
    forEachDocument(d -> {
      sent.add(SolrDocuments.id(d));
      out.add(d);
    });
    out.flush();
    nodes.commit(collection);
    readBack(sent);
    pending.clear();
    propertiesChanged = false;
  }

  /** Every document the pending changes write, built as they are needed (vectors make them big). */
  private void forEachDocument(Consumer<SolrInputDocument> to) {
    for (Pending p : pending.values()) {
      if (p.deleted()) {
        continue;
      }
      if (p.chunks() != null) {
        for (ChunkRecord c : p.chunks()) {
          to.accept(SolrDocuments.chunk(c));
        }
      }
      to.accept(SolrDocuments.source(p.source()));
    }
    if (propertiesChanged) {
      to.accept(SolrDocuments.meta(json(properties)));
    }
  }

  private UpdateBatches batches() {
    return new UpdateBatches(nodes, collection, options.batchSize(), documentsSent::addAndGet);
  }

  /**
   * Checks after the commit that every document sent is there, and sends again, and commits, what
   * is not. Solr can acknowledge an update and still lose it: with one replica per shard, updates
   * forwarded to a node that was just starting again were lost for good (SolrNodeFailureTest).
   * Ids only: a lost update of a document that was there before goes unnoticed.
   */
  private void readBack(List<String> sent) {
    Set<String> missing = missing(sent);
    for (int round = 1; !missing.isEmpty(); round++) {
      if (round > READ_BACK_ROUNDS) {
        throw new Embed4jException.Unavailable("Solr " + nodes.location() + ": " + missing.size() + " documents sent and "
            + "acknowledged are still missing after " + READ_BACK_ROUNDS + " resends, e.g. " + missing.iterator().next());
      }
      resent += missing.size();
      Set<String> again = missing;
      UpdateBatches out = batches();
      forEachDocument(d -> {
        if (again.contains(SolrDocuments.id(d))) {
          out.add(d);
        }
      });
      out.flush();
      nodes.commit(collection);
      missing = missing(List.copyOf(again));
    }
  }

  /** Those of {@code ids} the collection does not hold, asked a batch of ids at a time. */
  private Set<String> missing(List<String> ids) {
    Set<String> missing = new LinkedHashSet<>();
    for (int from = 0; from < ids.size(); from += CLAUSES) {
      List<String> some = ids.subList(from, Math.min(ids.size(), from + CLAUSES));
      // Quoted terms, not the terms parser: ids are paths, and a path may hold any separator.
      String anyOf = "id:(" + String.join(" OR ", some.stream().map(SolrStore::quoted).toList()) + ")";
      SolrQuery q = new SolrQuery(anyOf).setFields("id").setRows(some.size());
      QueryResponse r = nodes.call("reading back " + some.size() + " ids", c -> c.query(collection, q,
          org.apache.solr.client.solrj.SolrRequest.METHOD.POST));
      Set<String> found = new HashSet<>();
      for (SolrDocument d : r.getResults()) {
        found.add(SolrDocuments.str(d, "id"));
      }
      for (String id : some) {
        if (!found.contains(id)) {
          missing.add(id);
        }
      }
    }
    return missing;
  }

  /** Documents Solr has acknowledged so far, counted as batches are answered (for tests). */
  long documentsSent() {
    return documentsSent.get();
  }

  /** Documents sent again because the read-back after a commit did not find them (tests report it). */
  synchronized long resent() {
    return resent;
  }

  /**
   * Chunks a source no longer has (numbers at or past its new count) and deleted sources, in
   * delete-by-query requests of a few hundred sources each. They commute with the adds that
   * follow: no add touches what they delete.
   */
  private void sendDeletes() {
    List<String> clauses = new ArrayList<>();
    for (Map.Entry<String, Pending> e : pending.entrySet()) {
      String source = "{!term f=source v=" + quoted(e.getKey()) + "}";
      Pending p = e.getValue();
      if (p.deleted()) {
        clauses.add("_query_:" + quoted(source));
      } else if (p.chunks() != null) {
        clauses.add("(_query_:" + quoted(source) + " AND ord:[" + p.chunks().size() + " TO *])");
      }
      if (clauses.size() == CLAUSES) {
        deleteByQuery(clauses);
        clauses.clear();
      }
    }
    if (!clauses.isEmpty()) {
      deleteByQuery(clauses);
    }
  }

  private void deleteByQuery(List<String> clauses) {
    UpdateRequest req = new UpdateRequest();
    req.deleteByQuery(String.join(" OR ", clauses));
    nodes.update("deleting " + clauses.size() + " sources' stale chunks", collection, req);
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String json(Map<String, String> m) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(m));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- reading

  @Override
  public Map<String, SourceRecord> sources() {
    return sources("{!term f=kind}" + SolrDocuments.KIND_SOURCE);
  }

  @Override
  public Optional<SourceRecord> source(String id) {
    return sources("{!term f=id}" + SolrDocuments.sourceDocId(id)).values().stream().findFirst();
  }

  /** Every source matching {@code q}. */
  private Map<String, SourceRecord> sources(String q) {
    Map<String, SourceRecord> out = new LinkedHashMap<>();
    SolrQuery query = new SolrQuery(q).setFields("source", "source_path", "fingerprint", "sha256", "source_format", "chunks", "note");
    nodes.forEach("listing sources", collection, query, d -> {
      SourceRecord s = SolrDocuments.toSource(d);
      out.put(s.id(), s);
    });
    return out;
  }

  @Override
  public long chunkCount() {
    SolrQuery q = new SolrQuery("{!term f=kind}" + SolrDocuments.KIND_CHUNK).setRows(0);
    return nodes.call("counting chunks", c -> c.query(collection, q)).getResults().getNumFound();
  }

  @Override
  public List<SearchHit> search(SearchRequest request) {
    if (request.vector() != null && request.vector().length != model.dimensions()) {
      throw new Embed4jException.InvalidInput("query vector has " + request.vector().length + " dimensions; store "
          + nodes.location() + " holds " + model.dimensions() + "-d vectors of " + model.describe());
    }
    List<String> fq = SolrQueries.filters(request.filters());
    int n = request.k();
    while (true) {
      Ranking ranking = rank(request, fq, n);
      if (!request.onePerSource()) {
        return ranking.hits(ranking.ranked(), request.k());
      }
      List<Ranked<String>> best = bestPerSource(ranking, request.k());
      if (best.size() >= request.k() || ranking.ranked().size() < n) {
        return ranking.hits(best, request.k());
      }
      n *= 4; // several chunks of the same sources filled the list: look deeper
    }
  }

  /** A ranking of chunk ids, and the chunks' documents. */
  private record Ranking(List<Ranked<String>> ranked, Map<String, SolrDocument> docs) {
    List<SearchHit> hits(List<Ranked<String>> list, int k) {
      List<SearchHit> out = new ArrayList<>();
      for (Ranked<String> r : list.subList(0, Math.min(k, list.size()))) {
        out.add(SolrDocuments.toHit(docs.get(r.key()), r.score()));
      }
      return out;
    }
  }

  private Ranking rank(SearchRequest r, List<String> fq, int n) {
    Map<String, SolrDocument> docs = new HashMap<>();
    List<Ranked<String>> ranked = switch (r.mode()) {
      case DENSE -> query(SolrQueries.knn(r.vector(), Math.max(n, r.candidates())), fq, n, true, docs);
      case EXACT -> query(SolrQueries.exact(r.vector(), solrSimilarity), fq, n, true, docs);
      case BM25 -> query(SolrQueries.bm25(r.text()), fq, n, false, docs);
      case SPARSE -> throw new Embed4jException.InvalidInput("the SolrCloud store holds no sparse vectors; use dense, exact, bm25 or hybrid");
      case HYBRID -> {
        if (r.fused().contains(SearchMode.SPARSE)) {
          throw new Embed4jException.InvalidInput("the SolrCloud store holds no sparse vectors; fuse dense and bm25 only");
        }
        int depth = Math.max(n, r.candidates());
        List<Ranked<String>> dense = query(SolrQueries.knn(r.vector(), depth), fq, depth, true, docs);
        List<Ranked<String>> lexical = query(SolrQueries.bm25(r.text()), fq, depth, false, docs);
        yield r.fusion().fuse(List.of(dense, lexical), n);
      }
    };
    return new Ranking(ranked, docs);
  }

  /** The first {@code rows} of a query over all shards, merged by score by the coordinating node. */
  private List<Ranked<String>> query(String q, List<String> fq, int rows, boolean vectorScores, Map<String, SolrDocument> docs) {
    SolrQuery query = new SolrQuery(q).setRows(rows).setFields("*", "score");
    query.setFilterQueries(fq.toArray(new String[0]));
    QueryResponse resp = nodes.call(SearchMode.class.getSimpleName() + " query", c -> c.query(collection, query,
        org.apache.solr.client.solrj.SolrRequest.METHOD.POST)); // vectors make long queries: POST, not GET
    List<Ranked<String>> out = new ArrayList<>();
    for (SolrDocument d : resp.getResults()) {
      String id = SolrDocuments.str(d, "id");
      double score = ((Number) d.getFirstValue("score")).doubleValue();
      out.add(new Ranked<>(id, vectorScores ? SolrConfigSet.toModelScore(solrSimilarity, score) : score));
      docs.putIfAbsent(id, d);
    }
    return out;
  }

  private static List<Ranked<String>> bestPerSource(Ranking ranking, int k) {
    Set<String> seen = new LinkedHashSet<>();
    List<Ranked<String>> out = new ArrayList<>();
    for (Ranked<String> r : ranking.ranked()) {
      if (seen.add(SolrDocuments.str(ranking.docs().get(r.key()), "source"))) {
        out.add(r);
        if (out.size() == k) {
          break;
        }
      }
    }
    return out;
  }

  @Override
  public synchronized void close() {
    pending.clear(); // anything not committed is dropped, as after a crash
    nodes.close();
  }

  @Override
  public String toString() {
    return nodes.location().toString(); // what messages name it by, as the user typed it
  }
}

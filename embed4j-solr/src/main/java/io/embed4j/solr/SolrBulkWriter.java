package io.embed4j.solr;

import io.embed4j.Embed4jException;
import io.embed4j.index.chunk.Chunk;
import io.embed4j.index.store.ChunkRecord;
import io.embed4j.index.store.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.response.FacetField;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.CursorMarkParams;

/**
 * Writes already-embedded records (id, text, vector) into an existing store's collection, for bulk
 * jobs that embed elsewhere (the Spark job's tasks): each record becomes a source with one chunk, in
 * the documents {@link SolrStore} reads, so search, evaluation and rerank see them as they see
 * anything {@code embed4j index} put there.
 *
 * <p>Many writers run at once (one per task), so none of them commits: a batch Solr has
 * acknowledged is in its update log, and the job commits once at the end
 * ({@link #commit(SolrLocation, SolrStore.Options)}), then checks with {@link #unitCounts} that Solr
 * kept every unit whole (it was seen losing acknowledged documents when a node restarts). Ids are fixed by the record id, so a retried
 * task overwrites what its failed attempt sent: no duplicates. A job marks each finished unit of
 * work ({@link #markDone}) after all its records are acknowledged; a resumed job skips the marked ones.
 */
public final class SolrBulkWriter implements AutoCloseable {
  static final String KIND_DONE = "done";
  /** Chunk metadata naming the job and unit that wrote the chunk. */
  public static final String JOB_KEY = "bulk_job";
  public static final String UNIT_KEY = "bulk_unit";

  private final SolrNodes nodes;
  private final String collection;
  private final int dimensions;
  private final int batchSize;
  private final String path;
  private final String job;
  private final String unit;
  private final List<SolrInputDocument> batch = new ArrayList<>();
  private long written;

  private SolrBulkWriter(SolrNodes nodes, int dimensions, int batchSize, String path, String job, String unit) {
    this.nodes = nodes;
    this.job = job;
    this.unit = unit;
    this.collection = nodes.location().collection();
    this.dimensions = dimensions;
    this.batchSize = batchSize;
    this.path = path;
  }

  /**
   * A writer of unit {@code unit} of job {@code job} into the store at {@code location}, which must exist
   * (made by {@link SolrStore#openOrCreate}); {@code path} is recorded as every record's origin (e.g. the
   * job's input). Each chunk carries its job and unit as metadata ({@value #JOB_KEY}, {@value #UNIT_KEY}),
   * so {@link #unitCounts} can check after the commit that Solr kept all of a unit.
   */
  public static SolrBulkWriter open(SolrLocation location, SolrStore.Options options, String path, String job, String unit) {
    try (SolrStore store = SolrStore.open(location, true, options)) {
      return new SolrBulkWriter(new SolrNodes(location, options), store.model().dimensions(), options.batchSize(), path, job, unit);
    }
  }

  /** Adds one record, sending a batch when one is full. The same id again replaces it. */
  public void add(String id, String text, float[] vector) {
    if (vector.length != dimensions) {
      throw new Embed4jException.InvalidInput("record " + id + " has a " + vector.length + "-d vector; Solr collection "
          + nodes.location() + " holds " + dimensions + "-d vectors");
    }
    Chunk chunk = new Chunk(text, "", 1, 1, 0, text.length(), 0, id, Map.of(JOB_KEY, job, UNIT_KEY, unit), 0);
    batch.add(SolrDocuments.chunk(new ChunkRecord(id, path, 0, "text", chunk, vector)));
    batch.add(SolrDocuments.source(new SourceRecord(id, path, null, sha256(text), "text", 1, "")));
    written++;
    if (batch.size() >= batchSize) {
      flush();
    }
  }

  /** Sends what is buffered; when it returns, Solr holds it durably (visible after the next commit). */
  public void flush() {
    if (batch.isEmpty()) {
      return;
    }
    UpdateRequest req = new UpdateRequest();
    req.add(new ArrayList<>(batch));
    nodes.update("indexing a batch of " + batch.size() + " documents", collection, req);
    batch.clear();
  }

  /** Records written through this writer so far. */
  public long written() {
    return written;
  }

  /**
   * Flushes, then records that this writer's unit is complete (its records are all in Solr);
   * {@link #doneUnits} lists the marked units after the next commit.
   */
  public void markDone() {
    flush();
    SolrInputDocument d = new SolrInputDocument();
    d.setField("id", doneId(job, unit));
    d.setField("kind", KIND_DONE);
    d.setField("source", job);
    d.setField("record", unit);
    UpdateRequest req = new UpdateRequest();
    req.add(d);
    nodes.update("marking " + unit + " of " + job + " done", collection, req);
  }

  /** The units of {@code job} marked done and committed. */
  public static Set<String> doneUnits(SolrLocation location, SolrStore.Options options, String job) {
    Set<String> out = new HashSet<>();
    try (SolrNodes nodes = new SolrNodes(location, options)) {
      String cursor = CursorMarkParams.CURSOR_MARK_START;
      while (true) {
        SolrQuery q = new SolrQuery("{!term f=kind}" + KIND_DONE).addFilterQuery("{!term f=source v=" + quotedLocalParam(job) + "}")
            .setFields("record").setRows(1000).setSort("id", SolrQuery.ORDER.asc);
        q.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
        QueryResponse r = nodes.call("listing finished units of " + job, c -> c.query(location.collection(), q));
        for (SolrDocument d : r.getResults()) {
          out.add(SolrDocuments.str(d, "record"));
        }
        if (cursor.equals(r.getNextCursorMark())) {
          return out;
        }
        cursor = r.getNextCursorMark();
      }
    }
  }

  /**
   * Chunks per unit of {@code job}, as committed: a unit with fewer than it wrote lost documents Solr
   * had acknowledged (seen after a node restart with one replica per shard).
   */
  public static Map<String, Long> unitCounts(SolrLocation location, SolrStore.Options options, String job) {
    try (SolrNodes nodes = new SolrNodes(location, options)) {
      SolrQuery q = new SolrQuery("{!term f=kind}" + SolrDocuments.KIND_CHUNK)
          .addFilterQuery("{!term f=" + SolrDocuments.META_PREFIX + JOB_KEY + " v=" + quotedLocalParam(job) + "}")
          .setRows(0).setFacet(true).addFacetField(SolrDocuments.META_PREFIX + UNIT_KEY).setFacetLimit(-1).setFacetMinCount(1);
      QueryResponse r = nodes.call("counting the documents of " + job + " per unit", c -> c.query(location.collection(), q));
      Map<String, Long> out = new HashMap<>();
      for (FacetField.Count c : r.getFacetField(SolrDocuments.META_PREFIX + UNIT_KEY).getValues()) {
        out.put(c.getName(), c.getCount());
      }
      return out;
    }
  }

  /** Removes the done marks of some units of {@code job}, so a resumed run does them again; commits. */
  public static void forgetUnits(SolrLocation location, SolrStore.Options options, String job, Collection<String> units) {
    try (SolrNodes nodes = new SolrNodes(location, options)) {
      UpdateRequest req = new UpdateRequest();
      req.deleteById(units.stream().map(u -> doneId(job, u)).toList());
      nodes.update("forgetting " + units.size() + " finished units of " + job, location.collection(), req);
      nodes.call("committing", c -> c.commit(location.collection(), true, true));
    }
  }

  /** Removes the done marks of {@code job} (a new run of it starts), committing the removal. */
  public static void clearDone(SolrLocation location, SolrStore.Options options, String job) {
    try (SolrNodes nodes = new SolrNodes(location, options)) {
      UpdateRequest req = new UpdateRequest();
      req.deleteByQuery("kind:" + KIND_DONE + " AND source:\"" + job.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
      nodes.update("clearing the finished units of " + job, location.collection(), req);
      nodes.call("committing", c -> c.commit(location.collection(), true, true));
    }
  }

  /** Makes everything acknowledged so far visible to searches, on every shard. */
  public static void commit(SolrLocation location, SolrStore.Options options) {
    try (SolrNodes nodes = new SolrNodes(location, options)) {
      nodes.call("committing", c -> c.commit(location.collection(), true, true));
    }
  }

  static String doneId(String job, String unit) {
    return "d:" + job + "#" + unit;
  }

  private static String quotedLocalParam(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Lets go of the connections; what was not flushed is dropped, as after a crash (a retry sends it again). */
  @Override
  public void close() {
    batch.clear();
    nodes.close();
  }
}

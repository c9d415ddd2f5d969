package io.embed4j.solr;

import io.embed4j.Embed4jException;
import io.embed4j.index.chunk.Chunk;
import io.embed4j.index.job.Hashing;
import io.embed4j.index.store.ChunkRecord;
import io.embed4j.index.store.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.response.FacetField;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrInputDocument;

/**
 * Writes already-embedded records (id, text, vector) into an existing store's collection, for bulk
 * jobs that embed elsewhere (the Spark job's tasks): each record becomes a source with one chunk, in
 * the documents {@link SolrStore} reads, so search, evaluation and rerank see them as they see
 * anything {@code embed4j index} put there.
 *
 * <p>Many writers run at once (one per task), so none of them commits: a batch Solr has
 * acknowledged is in its update log, and the job commits once at the end
 * ({@link #commit(SolrLocation, SolrStore.Options)}), then checks with {@link #unitCounts} that Solr
 * kept every unit whole (it was seen losing acknowledged documents when a node restarts). Ids are
 * fixed by the record id, so a retried task overwrites what its failed attempt sent: no duplicates.
 * A job marks each finished unit of work ({@link #markDone}) after all its records are
 * acknowledged; a resumed job skips the marked ones.
 */
public final class SolrBulkWriter implements AutoCloseable {
  static final String KIND_DONE = "done";
  /** Chunk metadata naming the job and unit that wrote the chunk. */
  public static final String JOB_KEY = "bulk_job";
  public static final String UNIT_KEY = "bulk_unit";

  private final SolrNodes nodes;
  private final String collection;
  private final int dimensions;
  private final String path;
  private final String job;
  private final String unit;
  private final UpdateBatches batches;
  private long written;

  private SolrBulkWriter(SolrLocation location, SolrStore.Options options, int dimensions, String path, String job, String unit) {
    this.nodes = new SolrNodes(location, options);
    this.collection = location.collection();
    this.dimensions = dimensions;
    this.path = path;
    this.job = job;
    this.unit = unit;
    this.batches = new UpdateBatches(nodes, collection, options.batchSize(), n -> {});
  }

  /**
   * A writer of unit {@code unit} of job {@code job} into the store at {@code location}, which the
   * job has made or checked for its model (with {@link SolrStore#openOrCreate}) and whose vectors are
   * {@code dimensions} wide; {@code path} is recorded as every record's origin (e.g. the job's input).
   * Each chunk carries its job and unit as metadata ({@value #JOB_KEY}, {@value #UNIT_KEY}), so
   * {@link #unitCounts} can check after the commit that Solr kept all of a unit.
   */
  public static SolrBulkWriter open(SolrLocation location, SolrStore.Options options, int dimensions, String path, String job, String unit) {
    return new SolrBulkWriter(location, options, dimensions, path, job, unit);
  }

  /** Adds one record, sending a batch when one is full. The same id again replaces it. */
  public void add(String id, String text, float[] vector) {
    if (vector.length != dimensions) {
      throw new Embed4jException.InvalidInput("record " + id + " has a " + vector.length + "-d vector; Solr collection "
          + nodes.location() + " holds " + dimensions + "-d vectors");
    }
    Chunk chunk = new Chunk(text, "", 1, 1, 0, text.length(), 0, id, Map.of(JOB_KEY, job, UNIT_KEY, unit), 0);
    batches.add(SolrDocuments.chunk(new ChunkRecord(id, path, 0, "text", chunk, vector)));
    batches.add(SolrDocuments.source(new SourceRecord(id, path, null, Hashing.sha256(text.getBytes(StandardCharsets.UTF_8)), "text", 1, "")));
    written++;
  }

  /** Records written through this writer so far. */
  public long written() {
    return written;
  }

  /**
   * Sends what is buffered, then records that this writer's unit is complete (its records are all in
   * Solr); {@link #doneUnits} lists the marked units after the next commit.
   */
  public void markDone() {
    batches.flush();
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
      SolrQuery q = new SolrQuery(SolrQueries.term("kind", KIND_DONE)).addFilterQuery(SolrQueries.term("source", job)).setFields("record");
      nodes.forEach("listing finished units of " + job, location.collection(), q, d -> out.add(SolrDocuments.str(d, "record")));
    }
    return out;
  }

  /**
   * Chunks per unit of {@code job}, as committed: a unit with fewer than it wrote lost documents Solr
   * had acknowledged (seen after a node restart with one replica per shard).
   */
  public static Map<String, Long> unitCounts(SolrLocation location, SolrStore.Options options, String job) {
    String unitField = SolrDocuments.META_PREFIX + UNIT_KEY;
    try (SolrNodes nodes = new SolrNodes(location, options)) {
      SolrQuery q = new SolrQuery(SolrQueries.term("kind", SolrDocuments.KIND_CHUNK))
          .addFilterQuery(SolrQueries.term(SolrDocuments.META_PREFIX + JOB_KEY, job))
          .setRows(0).setFacet(true).addFacetField(unitField).setFacetLimit(-1).setFacetMinCount(1);
      QueryResponse r = nodes.call("counting the documents of " + job + " per unit", c -> c.query(location.collection(), q));
      Map<String, Long> out = new HashMap<>();
      for (FacetField.Count c : r.getFacetField(unitField).getValues()) {
        out.put(c.getName(), c.getCount());
      }
      return out;
    }
  }

  /** Removes the done marks of some units of {@code job}, so a resumed run does them again; commits. */
  public static void forgetUnits(SolrLocation location, SolrStore.Options options, String job, Collection<String> units) {
    if (units.isEmpty()) {
      return;
    }
    try (SolrNodes nodes = new SolrNodes(location, options)) {
      UpdateRequest req = new UpdateRequest();
      req.deleteById(units.stream().map(u -> doneId(job, u)).toList());
      nodes.update("forgetting " + units.size() + " finished units of " + job, location.collection(), req);
      nodes.commit(location.collection());
    }
  }

  /** Removes every done mark of {@code job}, acknowledged ones too (a new run of it starts); commits. */
  public static void clearDone(SolrLocation location, SolrStore.Options options, String job) {
    commit(location, options);
    forgetUnits(location, options, job, doneUnits(location, options, job));
  }

  /** Makes everything acknowledged so far visible to searches, on every shard. */
  public static void commit(SolrLocation location, SolrStore.Options options) {
    try (SolrNodes nodes = new SolrNodes(location, options)) {
      nodes.commit(location.collection());
    }
  }

  static String doneId(String job, String unit) {
    return "d:" + job + "#" + unit;
  }

  /** Lets go of the connections; what was not sent is dropped, as after a crash (a retry sends it again). */
  @Override
  public void close() {
    batches.clear();
    nodes.close();
  }
}

package io.embed4j.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.Embed4jException;
import io.embed4j.EmbeddingModel;
import io.embed4j.index.store.ModelStamp;
import io.embed4j.index.store.StoreSettings;
import io.embed4j.solr.SolrBulkWriter;
import io.embed4j.solr.SolrLocation;
import io.embed4j.solr.SolrStore;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The job's vectors written straight into a SolrCloud collection: the store {@code embed4j index
 * --store solr://...} makes and {@code search}/{@code eval --store} read, one source with one chunk
 * per row (the row's id is the document id). The driver creates the collection for the model (or
 * refuses one made for another) and records the run in it; tasks send batches with SolrJ; the
 * driver commits once at the end.
 *
 * <p>Retries: a document's id is the row's id, so a retried task overwrites what its failed attempt
 * sent. Resume: a task marks its bucket done once Solr has acknowledged all of it; with
 * {@code --skip-existing} a run of the same settings skips the marked buckets.
 */
final class SolrSink implements VectorSink {
  private static final long serialVersionUID = 1L;
  static final String MANIFEST_PROPERTY = "spark.manifest";
  static final String JOB = "embed4j-spark";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SolrStore.Options OPTIONS = SolrStore.Options.defaults();

  private final String address;
  private final int batchDocuments;
  private String origin = ""; // the job's input, recorded as each document's path; set on the driver

  SolrSink(String address) {
    this(address, OPTIONS.batchSize());
  }

  /** {@code batchDocuments}: Solr documents per update request (two per row: the chunk and its source). */
  SolrSink(String address, int batchDocuments) {
    this.address = address;
    this.batchDocuments = batchDocuments;
  }

  private SolrLocation location() {
    return SolrLocation.parse(address);
  }

  @Override
  public int prepare(EmbedRequest r, ModelInfo info, EmbeddingModel model, int defaultBuckets) {
    origin = r.input();
    StoreSettings settings = SolrStore.fitted(StoreSettings.defaults(), model);
    try (SolrStore store = SolrStore.openOrCreate(location(), settings, stamp(model, info, r.spec()), OPTIONS)) {
      String previous = store.properties().get(MANIFEST_PROPERTY);
      OutputManifest existing = previous == null ? null : OutputManifest.fromJson(parse(previous), address);
      if (existing != null && r.skipExisting()) {
        return existing.resumedBuckets(r, info, address);
      }
      if (existing != null && !r.overwrite()) {
        throw new Embed4jException.InvalidInput(address + " already holds the vectors of an embed4j-spark run; use --skip-existing to "
            + "finish it, or --overwrite to write every bucket again (documents with the same ids are replaced)");
      }
      int buckets = r.partitions() > 0 ? r.partitions() : defaultBuckets;
      // A new run: bucket marks of an earlier one say nothing about this one's buckets.
      SolrBulkWriter.clearDone(location(), OPTIONS, JOB);
      store.setProperty(MANIFEST_PROPERTY, json(OutputManifest.of(info, buckets, r.idColumn(), r.textDescription(), r.spec()).toJson()));
      store.commit();
      return buckets;
    }
  }

  /**
   * The collection's record of the model: the model's own, with the width and document prompt this
   * run used, so a search with another width or prompt is refused as a mismatch.
   */
  static ModelStamp stamp(EmbeddingModel model, ModelInfo info, EmbedSpec spec) {
    ModelStamp m = ModelStamp.of(model);
    boolean normalize = spec.normalize() != null ? spec.normalize() : m.normalize();
    return new ModelStamp(m.name(), m.source(), m.weightsSha256(), info.dimensions(), normalize, m.similarity(), m.queryPrompt(),
        model.promptFor(spec.encodeOptions()), m.maxSeqLength());
  }

  @Override
  public Set<Integer> finished() {
    Set<Integer> out = new HashSet<>();
    SolrBulkWriter.commit(location(), OPTIONS); // marks acknowledged before a crash become visible
    for (String unit : SolrBulkWriter.doneUnits(location(), OPTIONS, JOB)) {
      out.add(Integer.parseInt(unit));
    }
    return out;
  }

  @Override
  public BucketResult write(int bucket, String attempt, BucketRows rows, ModelInfo model) {
    try (SolrBulkWriter out = SolrBulkWriter.open(location(), OPTIONS.withBatchSize(batchDocuments), model.dimensions(),
        origin, JOB, Integer.toString(bucket))) {
      while (rows.hasNext()) {
        BucketRows.Entry e = rows.next();
        out.add(e.id(), e.text(), e.vector());
      }
      out.markDone();
    }
    return rows.result(bucket);
  }

  /**
   * Commits, then counts each bucket's documents in the collection: Solr can acknowledge documents
   * and lose them when a node restarts (seen with one replica per shard), so a bucket that came up
   * short loses its done mark and the job fails, naming it, for {@code --skip-existing} to redo.
   */
  @Override
  public void finish(List<BucketResult> results) {
    SolrBulkWriter.commit(location(), OPTIONS);
    Map<String, Long> counts = SolrBulkWriter.unitCounts(location(), OPTIONS, JOB);
    Map<String, Long> missing = new TreeMap<>();
    for (BucketResult r : results) {
      long kept = counts.getOrDefault(Integer.toString(r.bucket()), 0L);
      if (!r.alreadyDone() && kept < r.written()) {
        missing.put(Integer.toString(r.bucket()), r.written() - kept);
      }
    }
    if (!missing.isEmpty()) {
      SolrBulkWriter.forgetUnits(location(), OPTIONS, JOB, missing.keySet());
      throw new Embed4jException.Unavailable("Solr " + address + " acknowledged documents and then lost them (missing per bucket: "
          + missing + "; a node restarting during the job does this, mostly with one replica per shard). Run the job again with "
          + "--skip-existing: it redoes only those buckets");
    }
  }

  private static Map<String, Object> parse(String json) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = JSON.readValue(json, Map.class);
      return m;
    } catch (JsonProcessingException e) {
      throw new Embed4jException.InvalidInput("unreadable " + MANIFEST_PROPERTY + " in the Solr collection's record: " + e.getOriginalMessage());
    }
  }

  private static String json(Map<String, Object> m) {
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.embed4j.solr;

import io.embed4j.index.chunk.Chunk;
import io.embed4j.index.store.ChunkRecord;
import io.embed4j.index.store.SearchHit;
import io.embed4j.index.store.SourceRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;

/**
 * The store's documents in the collection and back: one per chunk, one per source, and one holding
 * the store's record (model, settings, properties). Ids are derived from the source id and chunk
 * number, so sending a document twice (a retried batch, a re-run) overwrites it instead of adding
 * a copy.
 */
final class SolrDocuments {
  static final String KIND_CHUNK = "chunk";
  static final String KIND_SOURCE = "source";
  static final String KIND_META = "meta";
  static final String META_ID = "_embed4j";
  static final String META_PREFIX = "meta_";

  private SolrDocuments() {}

  static String chunkId(String sourceId, int ordinal) {
    return "c:" + sourceId + "#" + ordinal;
  }

  static String sourceDocId(String sourceId) {
    return "s:" + sourceId;
  }

  static String id(SolrInputDocument d) {
    return (String) d.getFieldValue("id");
  }

  static SolrInputDocument chunk(ChunkRecord c) {
    Chunk chunk = c.chunk();
    SolrInputDocument d = new SolrInputDocument();
    d.setField("id", chunkId(c.sourceId(), c.ordinal()));
    d.setField("kind", KIND_CHUNK);
    d.setField("source", c.sourceId());
    d.setField("path", c.path());
    d.setField("ord", c.ordinal());
    d.setField("format", c.format());
    if (chunk.record() != null) {
      d.setField("record", chunk.record());
    }
    d.setField("text", chunk.text());
    if (!chunk.heading().isEmpty()) {
      d.setField("heading", chunk.heading());
    }
    d.setField("bm25", chunk.heading().isEmpty() ? chunk.text() : chunk.heading() + "\n" + chunk.text());
    d.setField("start_line", chunk.startLine());
    d.setField("end_line", chunk.endLine());
    d.setField("start_offset", chunk.startOffset());
    d.setField("end_offset", chunk.endOffset());
    d.setField("page", chunk.page());
    chunk.metadata().forEach((k, v) -> d.setField(META_PREFIX + k, v));
    float[] v = c.vector();
    Float[] boxed = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      boxed[i] = v[i];
    }
    d.setField("vector", List.of(boxed));
    return d;
  }

  static SolrInputDocument source(SourceRecord s) {
    SolrInputDocument d = new SolrInputDocument();
    d.setField("id", sourceDocId(s.id()));
    d.setField("kind", KIND_SOURCE);
    d.setField("source", s.id());
    d.setField("source_path", s.path());
    if (s.fingerprint() != null) {
      d.setField("fingerprint", s.fingerprint());
    }
    d.setField("sha256", s.sha256());
    d.setField("source_format", s.format());
    d.setField("chunks", s.chunks());
    d.setField("note", s.note());
    return d;
  }

  static SolrInputDocument meta(String propertiesJson) {
    SolrInputDocument d = new SolrInputDocument();
    d.setField("id", META_ID);
    d.setField("kind", KIND_META);
    d.setField("properties", propertiesJson);
    return d;
  }

  static SourceRecord toSource(SolrDocument d) {
    return new SourceRecord(str(d, "source"), str(d, "source_path"), str(d, "fingerprint"), str(d, "sha256"),
        str(d, "source_format"), integer(d, "chunks"), str(d, "note"));
  }

  static SearchHit toHit(SolrDocument d, double score) {
    Map<String, String> meta = new HashMap<>();
    for (String f : d.getFieldNames()) {
      if (f.startsWith(META_PREFIX)) {
        meta.put(f.substring(META_PREFIX.length()), str(d, f));
      }
    }
    String heading = str(d, "heading");
    return new SearchHit(str(d, "source"), str(d, "path"), str(d, "record"), integer(d, "ord"), score, str(d, "text"),
        heading == null ? "" : heading, integer(d, "start_line"), integer(d, "end_line"), integer(d, "start_offset"),
        integer(d, "end_offset"), integer(d, "page"), str(d, "format"), meta);
  }

  static String str(SolrDocument d, String field) {
    Object v = d.getFirstValue(field);
    return v == null ? null : v.toString();
  }

  static int integer(SolrDocument d, String field) {
    Object v = d.getFirstValue(field);
    return v == null ? 0 : ((Number) v).intValue();
  }
}

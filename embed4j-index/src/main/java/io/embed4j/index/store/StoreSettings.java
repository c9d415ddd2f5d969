package io.embed4j.index.store;

import io.embed4j.index.chunk.ChunkingOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an index is built with, fixed when it is created and recorded in it: changing any of these
 * means rebuilding ({@code embed4j reindex}).
 *
 * @param encoding how the HNSW graph stores vectors
 * @param hnswMaxConn neighbours per graph node (Lucene's M)
 * @param hnswBeamWidth candidates considered while building (Lucene's beamWidth, efConstruction)
 * @param chunking chunk size and overlap in model tokens
 */
public record StoreSettings(VectorEncoding encoding, int hnswMaxConn, int hnswBeamWidth, ChunkingOptions chunking) {
  public static final int DEFAULT_MAX_CONN = 16;
  public static final int DEFAULT_BEAM_WIDTH = 100;

  public StoreSettings {
    if (hnswMaxConn < 2 || hnswMaxConn > 512) {
      throw new IllegalArgumentException("HNSW max connections must be in 2..512, got " + hnswMaxConn);
    }
    if (hnswBeamWidth < 1 || hnswBeamWidth > 3200) {
      throw new IllegalArgumentException("HNSW beam width must be in 1..3200, got " + hnswBeamWidth);
    }
  }

  public static StoreSettings defaults() {
    return new StoreSettings(VectorEncoding.FLOAT32, DEFAULT_MAX_CONN, DEFAULT_BEAM_WIDTH, ChunkingOptions.defaults());
  }

  public StoreSettings withEncoding(VectorEncoding e) {
    return new StoreSettings(e, hnswMaxConn, hnswBeamWidth, chunking);
  }

  public StoreSettings withChunking(ChunkingOptions c) {
    return new StoreSettings(encoding, hnswMaxConn, hnswBeamWidth, c);
  }

  public Map<String, String> toProperties() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("vectors.encoding", encoding.cliName());
    m.put("hnsw.max_conn", Integer.toString(hnswMaxConn));
    m.put("hnsw.beam_width", Integer.toString(hnswBeamWidth));
    m.put("chunk.max_tokens", Integer.toString(chunking.maxTokens()));
    m.put("chunk.overlap_tokens", Integer.toString(chunking.overlapTokens()));
    return m;
  }

  public static StoreSettings fromProperties(Map<String, String> p) {
    return new StoreSettings(
        VectorEncoding.parse(p.getOrDefault("vectors.encoding", "float32")),
        Integer.parseInt(p.getOrDefault("hnsw.max_conn", "" + DEFAULT_MAX_CONN)),
        Integer.parseInt(p.getOrDefault("hnsw.beam_width", "" + DEFAULT_BEAM_WIDTH)),
        new ChunkingOptions(Integer.parseInt(p.getOrDefault("chunk.max_tokens", "" + ChunkingOptions.DEFAULT_MAX_TOKENS)),
            Integer.parseInt(p.getOrDefault("chunk.overlap_tokens", "" + ChunkingOptions.DEFAULT_OVERLAP_TOKENS))));
  }
}

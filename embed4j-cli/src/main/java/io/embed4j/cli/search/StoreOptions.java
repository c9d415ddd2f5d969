package io.embed4j.cli.search;

import io.embed4j.Embed4jException;
import io.embed4j.index.chunk.ChunkingOptions;
import io.embed4j.index.store.StoreSettings;
import io.embed4j.index.store.VectorEncoding;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Settings fixed when an index is created; on an existing index they must match (else: reindex). */
public final class StoreOptions {
  @Option(names = "--vectors", description = "Vector encoding in the HNSW graph: float32 (default), int8, int4 or binary "
      + "(quantized graphs are rescored with the float vectors).")
  String vectors;

  @Option(names = "--chunk-tokens", description = "Chunk size in model tokens (default " + ChunkingOptions.DEFAULT_MAX_TOKENS
      + ", capped at what the model reads).")
  Integer chunkTokens;

  @Option(names = "--chunk-overlap", description = "Tokens of whole sentences repeated between neighbouring chunks (default "
      + ChunkingOptions.DEFAULT_OVERLAP_TOKENS + ").")
  Integer chunkOverlap;

  @Option(names = "--hnsw-m", description = "HNSW neighbours per node (default " + StoreSettings.DEFAULT_MAX_CONN + ").")
  Integer hnswM;

  @Option(names = "--hnsw-beam", description = "HNSW beam width while building (default " + StoreSettings.DEFAULT_BEAM_WIDTH + ").")
  Integer hnswBeam;

  boolean anyGiven() {
    return vectors != null || chunkTokens != null || chunkOverlap != null || hnswM != null || hnswBeam != null;
  }

  /** The settings asked for, on top of {@code base}. */
  StoreSettings apply(StoreSettings base) {
    try {
      ChunkingOptions c = base.chunking();
      int tokens = chunkTokens != null ? chunkTokens : c.maxTokens();
      int overlap = chunkOverlap != null ? chunkOverlap : Math.min(c.overlapTokens(), tokens / 2);
      return new StoreSettings(vectors != null ? VectorEncoding.parse(vectors) : base.encoding(),
          hnswM != null ? hnswM : base.hnswMaxConn(), hnswBeam != null ? hnswBeam : base.hnswBeamWidth(),
          new ChunkingOptions(tokens, overlap));
    } catch (IllegalArgumentException e) {
      throw new Embed4jException.InvalidInput(e.getMessage());
    }
  }

  /** Refuses settings that differ from those an existing index was built with. */
  void requireMatches(StoreSettings existing, Path location) {
    if (!anyGiven()) {
      return;
    }
    StoreSettings asked = apply(existing);
    boolean chunkingDiffers = (chunkTokens != null && chunkTokens != existing.chunking().maxTokens())
        || (chunkOverlap != null && chunkOverlap != existing.chunking().overlapTokens());
    if (asked.encoding() != existing.encoding() || asked.hnswMaxConn() != existing.hnswMaxConn()
        || asked.hnswBeamWidth() != existing.hnswBeamWidth() || chunkingDiffers) {
      throw new Embed4jException.InvalidInput("index " + location + " was built with --vectors " + existing.encoding().cliName()
          + " --chunk-tokens " + existing.chunking().maxTokens() + " --chunk-overlap " + existing.chunking().overlapTokens()
          + " --hnsw-m " + existing.hnswMaxConn() + " --hnsw-beam " + existing.hnswBeamWidth()
          + "; to change them rebuild it: embed4j reindex --index " + location + " [options]");
    }
  }
}

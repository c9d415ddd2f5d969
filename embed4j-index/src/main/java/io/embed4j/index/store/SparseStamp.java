package io.embed4j.index.store;

import io.embed4j.Embed4jException;
import io.embed4j.sparse.SparseEncoder;
import io.embed4j.sparse.SparseModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The identity of the sparse (SPLADE) model whose vectors an index holds, with the document-side
 * pruning they were made with. Like {@link ModelStamp} for dense vectors: sparse vectors of another
 * model weigh other terms on another scale, so an index never mixes two.
 *
 * @param name the model's name
 * @param source how it was loaded (directory or Hub id): how to load it again
 * @param weightsSha256 SHA-256 over the weights of both sides (ONNX graph, or static weights)
 * @param dimensions vocabulary size
 * @param documentMaxDims top-k pruning of document vectors (0: none)
 * @param documentThreshold weights not above this were dropped from document vectors
 */
public record SparseStamp(String name, String source, String weightsSha256, int dimensions, int documentMaxDims, float documentThreshold) {

  /** The stamp of a loaded encoder; hashes its weights. */
  public static SparseStamp of(SparseEncoder encoder, String source) {
    SparseModelConfig c = encoder.config();
    return new SparseStamp(encoder.name(), source, sha256(weights(c.document()), weights(c.query())), encoder.dimensions(),
        encoder.options().document().maxActiveDims(), encoder.options().document().threshold());
  }

  private static Path weights(SparseModelConfig.Route route) {
    return switch (route) {
      case SparseModelConfig.Splade s -> s.onnxModel();
      case SparseModelConfig.StaticWeights w -> w.weights();
    };
  }

  private static String sha256(Path document, Path query) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Path p : document.equals(query) ? new Path[] {document} : new Path[] {document, query}) {
        try (InputStream in = Files.newInputStream(p)) {
          byte[] buf = new byte[1 << 20];
          for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
          }
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Throws a message naming both sparse models and the way out when {@code other}'s vectors do not belong in {@code index}. */
  public void requireCompatible(SparseStamp other, String index) {
    if (sameVectors(other)) {
      return;
    }
    throw new Embed4jException.InvalidInput("index " + index + " holds sparse vectors of " + describe() + "; sparse model "
        + other.describe() + " makes vectors that cannot be compared with them. Use --sparse-model " + source
        + " (with the same --sparse-doc-max-dims and --sparse-doc-threshold), or rebuild the index: embed4j reindex --index "
        + index + " --sparse-model " + other.source);
  }

  public boolean sameVectors(SparseStamp other) {
    return weightsSha256.equals(other.weightsSha256) && dimensions == other.dimensions && documentMaxDims == other.documentMaxDims
        && Float.compare(documentThreshold, other.documentThreshold) == 0;
  }

  public String describe() {
    return "'" + source + "' (vocabulary " + dimensions + ", weights sha256 " + weightsSha256.substring(0, Math.min(12, weightsSha256.length()))
        + (documentMaxDims > 0 ? ", top " + documentMaxDims + " terms per chunk" : "")
        + (documentThreshold > 0 ? String.format(Locale.ROOT, ", weights above %s", documentThreshold) : "") + ")";
  }

  public Map<String, String> toProperties() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("sparse.name", name);
    m.put("sparse.source", source);
    m.put("sparse.weights_sha256", weightsSha256);
    m.put("sparse.dimensions", Integer.toString(dimensions));
    m.put("sparse.document_max_dims", Integer.toString(documentMaxDims));
    m.put("sparse.document_threshold", Float.toString(documentThreshold));
    return m;
  }

  /** The stamp recorded in {@code p}, or empty for an index without sparse vectors. */
  public static Optional<SparseStamp> fromProperties(Map<String, String> p) {
    if (!p.containsKey("sparse.weights_sha256")) {
      return Optional.empty();
    }
    return Optional.of(new SparseStamp(p.get("sparse.name"), p.get("sparse.source"), p.get("sparse.weights_sha256"),
        Integer.parseInt(p.get("sparse.dimensions")), Integer.parseInt(p.getOrDefault("sparse.document_max_dims", "0")),
        Float.parseFloat(p.getOrDefault("sparse.document_threshold", "0"))));
  }
}

package io.embed4j.sparse;

import io.embed4j.Embed4jException;
import io.embed4j.hub.HubClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A learned sparse encoder (SPLADE): texts to sparse vectors over the model's vocabulary, each entry
 * a term and its weight, compared by dot product. Queries and documents may be encoded differently
 * (pruning, prompts, max length, or a different route altogether for inference-free models).
 *
 * <pre>{@code
 * try (SparseEncoder splade = SparseEncoder.load("path/to/splade-v3", SparseEncoderOptions.defaults()
 *     .withQuery(SparseOptions.defaults().withMaxActiveDims(64)))) {
 *   SparseVector q = splade.encodeQuery(List.of("what causes rain?"))[0];
 *   SparseVector[] docs = splade.encodeDocument(passages);
 *   float score = q.dot(docs[0]);
 *   List<String> terms = splade.tokens(q);  // the vocabulary terms of q's entries
 * }
 * }</pre>
 *
 * Texts are ordered by length, tokenized ahead of the encoder, truncated to the max length and
 * batched by a token budget (default {@value SparseEncoderOptions#DEFAULT_BATCH_TOKENS} padded tokens:
 * a batch's logits are tokens x vocabulary floats); each batch is reduced to sparse vectors before
 * the next runs. Safe to share between threads.
 */
public final class SparseEncoder implements AutoCloseable {
  private static final Pattern HUB_ID = Pattern.compile("^([A-Za-z0-9][\\w.-]*/[\\w.-]+)(?:@([\\w./-]+))?$");

  /** Which side of retrieval a text is on. */
  public enum Side { QUERY, DOCUMENT }

  private final SparseModelConfig config;
  private final SparseEncoderOptions options;
  private final SideEncoder query;
  private final SideEncoder document;

  private SparseEncoder(SparseModelConfig config, SparseEncoderOptions options) {
    this.config = config;
    this.options = options;
    this.document = open(config.document(), options);
    SideEncoder q = null;
    try {
      q = config.query().equals(config.document()) ? document : open(config.query(), options);
      this.query = q;
      // One-time costs (kernel set-up, weight pre-packing) at load, so the first request runs at full speed.
      encode(List.of("warm up the sparse encoder"), Side.DOCUMENT);
      if (query != document) {
        encode(List.of("warm up"), Side.QUERY);
      }
    } catch (RuntimeException e) {
      document.close();
      if (q != null && q != document) {
        q.close();
      }
      throw e;
    }
  }

  private static SideEncoder open(SparseModelConfig.Route route, SparseEncoderOptions options) {
    return switch (route) {
      case SparseModelConfig.Splade s -> new SpladeSide(s, options.backend());
      case SparseModelConfig.StaticWeights w -> new StaticSide(w);
    };
  }

  /** Loads a directory or Hub id ({@code org/name[@revision]}) with default options. */
  public static SparseEncoder load(String model) {
    return load(model, SparseEncoderOptions.defaults());
  }

  public static SparseEncoder load(String model, SparseEncoderOptions options) {
    return load(resolve(model), options);
  }

  public static SparseEncoder load(SparseModelConfig config, SparseEncoderOptions options) {
    return new SparseEncoder(config, options);
  }

  /** A directory (masked-LM export or sentence-transformers SparseEncoder layout), or a Hub id fetched into the Hub cache. */
  public static SparseModelConfig resolve(String model) {
    if (model == null || model.isBlank()) {
      throw new Embed4jException.ModelNotFound("no sparse model given: name a directory or a Hub id (org/name)");
    }
    Path dir = Path.of(model);
    if (Files.isDirectory(dir)) {
      return SparseModelConfig.read(dir, dir.toAbsolutePath().normalize().getFileName().toString());
    }
    Matcher m = HUB_ID.matcher(model);
    if (m.matches() && !Files.exists(dir)) {
      Path snapshot = HubClient.fromEnvironment().snapshot(m.group(1), m.group(2) == null ? "main" : m.group(2));
      return SparseModelConfig.read(snapshot, model);
    }
    throw new Embed4jException.ModelNotFound("unknown sparse model '" + model + "': not an existing directory or a Hub id (org/name)");
  }

  public SparseModelConfig config() {
    return config;
  }

  public SparseEncoderOptions options() {
    return options;
  }

  public String name() {
    return config.name();
  }

  /** Width of the vectors: the document side's vocabulary size. */
  public int dimensions() {
    return document.dimensions();
  }

  public SparseVector[] encodeQuery(List<String> queries) {
    return encode(queries, Side.QUERY).vectors();
  }

  public SparseVector[] encodeDocument(List<String> documents) {
    return encode(documents, Side.DOCUMENT).vectors();
  }

  /** Encodes texts as one side, with that side's options, and reports what the call did. */
  public SparseEmbeddings encode(List<String> texts, Side side) {
    SparseOptions o = side == Side.QUERY ? options.query() : options.document();
    return encode(texts, side, o);
  }

  /**
   * Encodes texts as one side with explicit options. With no prompt in the options, the model's
   * prompt for the side applies ({@code query}, or {@code document}/{@code passage}/{@code corpus}).
   */
  public SparseEmbeddings encode(List<String> texts, Side side, SparseOptions sideOptions) {
    if (sideOptions.prompt().isEmpty()) {
      String prompt = modelPrompt(side);
      if (!prompt.isEmpty()) {
        sideOptions = sideOptions.withPrompt(prompt);
      }
    }
    SideEncoder encoder = side == Side.QUERY ? query : document;
    return encoder.encode(texts, sideOptions, options.batchTokens(), options.maxBatchSize());
  }

  private String modelPrompt(Side side) {
    List<String> names = side == Side.QUERY ? List.of("query") : List.of("document", "passage", "corpus");
    for (String n : names) {
      String p = config.prompts().get(n);
      if (p != null && !p.isEmpty()) {
        return p;
      }
    }
    return "";
  }

  /** Similarity of two sparse vectors: their dot product. */
  public float similarity(SparseVector a, SparseVector b) {
    return a.dot(b);
  }

  /** The vocabulary term of an index ({@code ##ing} for a word piece). */
  public String token(int index) {
    return document.token(index);
  }

  /** The vocabulary terms of a vector's entries, in index order. */
  public List<String> tokens(SparseVector v) {
    List<String> out = new ArrayList<>(v.size());
    for (int i : v.indices()) {
      out.add(token(i));
    }
    return out;
  }

  @Override
  public void close() {
    document.close();
    if (query != document) {
      query.close();
    }
  }

  @Override
  public String toString() {
    return "SparseEncoder[" + name() + ", query=" + query + ", document=" + document + "]";
  }
}

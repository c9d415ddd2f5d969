package io.embed4j.eval;

import io.embed4j.EmbeddingModel;
import io.embed4j.encode.EncodeOptions;
import io.embed4j.encode.EncodeStats;
import io.embed4j.encode.Embeddings;
import io.embed4j.vector.SimilarityFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A {@link TextEncoder} over an {@link EmbeddingModel}: full-width embeddings with the role's prompt
 * from {@link TaskPrompts}. Texts are ordered longest first (as the model orders them anyway) and
 * encoded in blocks, so progress can be reported without changing how batches are formed.
 */
public final class ModelEncoder implements TextEncoder {
  /** Texts per encode call; above the model's 512-text threshold so tokenization overlaps inference. */
  private static final int BLOCK = 1024;

  private final EmbeddingModel model;
  private final TaskPrompts prompts;
  private final EncodeOptions options;
  private final Progress progress;
  private String modelIdentity;

  /**
   * @param options base encode options; the prompt is set per role, and dimensions must be 0 (the
   *     evaluators truncate themselves)
   */
  public ModelEncoder(EmbeddingModel model, TaskPrompts prompts, EncodeOptions options, Progress progress) {
    if (options.dimensions() != 0) {
      throw new IllegalArgumentException("encode full-width embeddings (dimensions 0); variants truncate them");
    }
    this.model = model;
    this.prompts = prompts;
    this.options = options;
    this.progress = progress;
  }

  public ModelEncoder(EmbeddingModel model) {
    this(model, TaskPrompts.mteb(model), EncodeOptions.defaults(), Progress.NONE);
  }

  private EncodeOptions optionsFor(Role role) {
    String p = prompts.forRole(role);
    return p == null ? options : options.withPrompt(p);
  }

  @Override
  public Encoded encode(List<String> texts, Role role) {
    EncodeOptions o = optionsFor(role);
    Integer[] order = new Integer[texts.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(texts.get(b).length(), texts.get(a).length()));
    float[][] out = new float[texts.size()][];
    EncodeStats stats = EncodeStats.EMPTY;
    String label = "encode " + role.name().toLowerCase(java.util.Locale.ROOT) + (texts.size() == 1 ? " text" : " texts");
    try (Progress.Step step = progress.start(label, texts.size())) {
      for (int from = 0; from < order.length; from += BLOCK) {
        int to = Math.min(order.length, from + BLOCK);
        List<String> block = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
          block.add(texts.get(order[i]));
        }
        Embeddings e = model.embed(block, o);
        for (int i = from; i < to; i++) {
          out[order[i]] = e.vectors()[i - from];
        }
        stats = stats.plus(e.stats());
        step.advance(to - from);
      }
    }
    return new Encoded(out, stats, false);
  }

  @Override
  public String name() {
    return model.name();
  }

  @Override
  public int dimensions() {
    return model.dimensions();
  }

  @Override
  public SimilarityFunction similarity() {
    return model.similarityFunction();
  }

  @Override
  public boolean normalizes() {
    return options.normalize() != null ? options.normalize() : model.config().normalize();
  }

  @Override
  public String fingerprint(Role role) {
    EncodeOptions o = optionsFor(role);
    return identity()
        + "prompt: " + quote(model.promptFor(o)) + "\n"
        + "options: " + o + "\n";
  }

  /** Model weights, tokenizer and configuration: computed once (hashing the weights takes a moment). */
  private synchronized String identity() {
    if (modelIdentity == null) {
      modelIdentity = "model: " + model.name() + "\n"
          + "weights sha256: " + model.files().weightsSha256() + "\n"
          + "tokenizer sha256: " + sha256(model.files().tokenizer()) + "\n"
          + "config: " + model.config() + "\n"
          + "dimensions: " + model.dimensions() + "\n";
    }
    return modelIdentity;
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }

  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

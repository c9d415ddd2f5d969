package io.embed4j.cli.rerank;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.embed4j.Embed4jException;
import io.embed4j.backend.BackendOptions;
import io.embed4j.cli.ModelOptions;
import io.embed4j.cli.ProgressBar;
import io.embed4j.cli.TextInput;
import io.embed4j.encode.EncodeStats;
import io.embed4j.model.Embed4jHome;
import io.embed4j.sparse.SparseEmbeddings;
import io.embed4j.sparse.SparseEncoder;
import io.embed4j.sparse.SparseEncoderOptions;
import io.embed4j.sparse.SparseOptions;
import io.embed4j.sparse.SparseVector;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code embed4j encode --sparse}: SPLADE vectors as JSON lines {@code {"indices": [...], "values": [...]}}
 * (with {@code --tokens}, the vocabulary terms too). A mixin of the encode command.
 */
public final class SparseEncodeOptions {
  private static final int BLOCK = 2048;
  /** encode options that mean nothing for sparse vectors. */
  private static final List<String> DENSE_ONLY = List.of("--prompt-name", "--dimensions", "--precision", "--calibration",
      "--no-normalize", "--long-input", "--chunk-overlap");
  private static final List<String> SPARSE_ONLY = List.of("--tokens", "--side", "--max-active-dims", "--sparse-threshold");

  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  @Option(names = "--sparse", description = "SPLADE sparse vectors from a masked-LM model (--model DIR|ORG/NAME), as JSON lines {\"indices\", \"values\"}.")
  boolean sparse;

  @Option(names = "--tokens", description = "With --sparse: add the vocabulary term of each index (\"tokens\").")
  boolean tokens;

  @Option(names = "--side", defaultValue = "document", description = "With --sparse: encode as query or document (the model may treat them differently). Default: ${DEFAULT-VALUE}.")
  String side;

  @Option(names = "--max-active-dims", defaultValue = "0", description = "With --sparse: keep the largest K weights per text (0 = all).")
  int maxActiveDims;

  @Option(names = "--sparse-threshold", defaultValue = "0", description = "With --sparse: drop weights not above this.")
  float threshold;

  /** Whether --sparse was given; sparse-only options without it are a mistake, reported here. */
  public boolean selected() {
    if (!sparse) {
      for (String o : SPARSE_ONLY) {
        if (matched(o)) {
          throw new Embed4jException.InvalidInput(o + " applies to --sparse only");
        }
      }
    }
    return sparse;
  }

  private boolean matched(String option) {
    return mixee != null && mixee.commandLine() != null && mixee.commandLine().getParseResult() != null
        && mixee.commandLine().getParseResult().hasMatchedOption(option);
  }

  /** Encodes every input line into a sparse vector and writes them in input order. */
  public int run(ModelOptions model, String input, String output, String format, String prompt, int batchTokens, boolean quiet)
      throws IOException {
    for (String o : DENSE_ONLY) {
      if (matched(o)) {
        throw new Embed4jException.InvalidInput(o + " does not apply to --sparse" + (o.equals("--prompt-name") ? "; use --side query|document or --prompt" : ""));
      }
    }
    if (!matched("--model")) {
      throw new Embed4jException.InvalidInput("--sparse needs --model DIR|ORG/NAME, a SPLADE (masked-LM) model; the default "
          + model.model + " is a dense model");
    }
    if (!format.equalsIgnoreCase("jsonl")) {
      throw new Embed4jException.InvalidInput("--sparse writes JSON lines only; got --format " + format);
    }
    if (model.threads < 0) {
      throw new Embed4jException.InvalidInput("--threads must be >= 0, got " + model.threads);
    }
    SparseEncoder.Side s = switch (side.toLowerCase(Locale.ROOT)) {
      case "query" -> SparseEncoder.Side.QUERY;
      case "document" -> SparseEncoder.Side.DOCUMENT;
      default -> throw new Embed4jException.InvalidInput("unknown --side '" + side + "'; valid: query, document");
    };
    SparseOptions sideOptions;
    try {
      sideOptions = new SparseOptions(0, maxActiveDims, threshold, prompt);
    } catch (IllegalArgumentException e) {
      throw new Embed4jException.InvalidInput(e.getMessage().replace("max active dims", "--max-active-dims").replace("threshold", "--sparse-threshold"));
    }
    // The masked-LM head returns tokens x vocabulary floats per batch: keep the sparse default budget unless asked.
    int budget = matched("--batch-tokens") ? batchTokens : SparseEncoderOptions.DEFAULT_BATCH_TOKENS;
    SparseEncoderOptions options = SparseEncoderOptions.defaults()
        .withBackend(new BackendOptions(model.threads, model.graphOptimization, model.noOrtCache ? null : Embed4jHome.dir().resolve("ort-cache")))
        .withBatching(budget, SparseEncoderOptions.DEFAULT_MAX_BATCH_SIZE);
    try (TextInput in = TextInput.open(input);
        SparseEncoder encoder = SparseEncoder.load(model.model, options);
        Output out = new Output(output);
        ProgressBar progress = new ProgressBar("encode --sparse", -1, quiet)) {
      EncodeStats stats = EncodeStats.EMPTY;
      long entries = 0;
      JsonFactory factory = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      for (List<String> block; !(block = in.next(BLOCK)).isEmpty(); ) {
        SparseEmbeddings e = encoder.encode(block, s, sideOptions);
        stats = stats.plus(e.stats());
        try (JsonGenerator g = factory.createGenerator(out.stream, JsonEncoding.UTF8)) {
          g.setRootValueSeparator(null);
          for (SparseVector v : e.vectors()) {
            write(g, v, tokens ? encoder.tokens(v) : null);
            entries += v.size();
          }
        }
        progress.advance(block.size());
      }
      if (in.linesRead() == 0) {
        throw new Embed4jException.InvalidInput(in.name() + ": empty input, no text to encode");
      }
      out.commit();
      if (!quiet && output != null) {
        System.err.printf(Locale.ROOT, "encoded %d texts (%d tokens) in %.1fs: %.0f texts/s, %.1f non-zero weights per text%n",
            stats.texts(), stats.realTokens(), stats.nanos() / 1e9, stats.texts() / (stats.nanos() / 1e9), (double) entries / stats.texts());
      }
    }
    return 0;
  }

  private static void write(JsonGenerator g, SparseVector v, List<String> terms) throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart("indices");
    for (int i : v.indices()) {
      g.writeNumber(i);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("values");
    for (float x : v.values()) {
      g.writeNumber(x);
    }
    g.writeEndArray();
    if (terms != null) {
      g.writeArrayFieldStart("tokens");
      for (String t : terms) {
        g.writeString(t);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
    g.writeRaw('\n');
  }

  /** Standard output, or a temporary file renamed into place on commit so a failed run leaves no partial file. */
  private static final class Output implements AutoCloseable {
    final OutputStream stream;
    private final Path target;
    private final Path tmp;

    Output(String output) {
      try {
        if (output == null || output.equals("-")) {
          target = null;
          tmp = null;
          stream = new BufferedOutputStream(System.out, 1 << 16);
        } else {
          target = Path.of(output).toAbsolutePath();
          Path dir = target.getParent();
          if (dir != null && !Files.isDirectory(dir)) {
            throw new Embed4jException.InvalidInput(output + ": directory " + dir + " does not exist");
          }
          tmp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
          stream = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
        }
      } catch (IOException e) {
        throw new Embed4jException.InvalidInput(output + ": cannot write: " + e.getMessage());
      }
    }

    void commit() throws IOException {
      stream.flush();
      if (target != null) {
        stream.close();
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
    }

    @Override
    public void close() throws IOException {
      if (target == null) {
        stream.flush();
        return;
      }
      stream.close();
      Files.deleteIfExists(tmp);
    }
  }
}

package io.embed4j.cli;

import io.embed4j.EmbeddingModel;
import io.embed4j.Embed4jException;
import io.embed4j.encode.EncodeOptions;
import io.embed4j.encode.EncodeStats;
import io.embed4j.encode.Embeddings;
import io.embed4j.encode.LongInputMode;
import io.embed4j.encode.Precision;
import io.embed4j.encode.Quantizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code embed4j encode}: one vector per input line, in input order. */
@Command(name = "encode", mixinStandardHelpOptions = true, description = "Embed texts, one per line, into vectors.")
public final class EncodeCommand implements Callable<Integer> {
  private static final int BLOCK = 8192;

  @Mixin ModelOptions modelOptions;

  @Mixin io.embed4j.cli.rerank.SparseEncodeOptions sparse;

  @Option(names = {"-i", "--input"}, required = true, description = "Text file, one text per line (UTF-8), or - for stdin.")
  String input;

  @Option(names = {"-o", "--output"}, description = "Output file (default: stdout).")
  String output;

  @Option(names = "--format", defaultValue = "jsonl", description = "jsonl, npy or fvecs. Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(names = "--prompt-name", description = "One of the model's prompts, e.g. query or passage.")
  String promptName;

  @Option(names = "--prompt", description = "A raw prompt prepended to every text.")
  String prompt;

  @Option(names = "--dimensions", defaultValue = "0", description = "Keep the first N dimensions (Matryoshka), re-normalized.")
  int dimensions;

  @Option(names = "--precision", defaultValue = "float32", description = "float32, int8, uint8, binary or ubinary.")
  String precision;

  @Option(names = "--calibration", description = "Texts (one per line) whose embeddings set the int8/uint8 ranges; "
      + "default: the ranges of all embeddings of this run.")
  String calibration;

  @Option(names = "--no-normalize", description = "Skip L2 normalization.")
  boolean noNormalize;

  @Option(names = "--batch-tokens", defaultValue = "" + EncodeOptions.DEFAULT_BATCH_TOKENS, description = "Padded tokens per batch. Default: ${DEFAULT-VALUE}.")
  int batchTokens;

  @Option(names = "--long-input", defaultValue = "truncate", description = "truncate (as sentence-transformers) or chunk (windows, pooled).")
  String longInput;

  @Option(names = "--chunk-overlap", defaultValue = "32", description = "Tokens shared by neighbouring windows with --long-input chunk.")
  int chunkOverlap;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    if (sparse.selected()) {
      return sparse.run(modelOptions, input, output, format, prompt, batchTokens, quiet);
    }
    Precision p = Precision.fromName(precision);
    VectorWriter.Format f = VectorWriter.formatOf(format);
    LongInputMode mode = switch (longInput.toLowerCase(Locale.ROOT)) {
      case "truncate" -> LongInputMode.TRUNCATE;
      case "chunk" -> LongInputMode.CHUNK;
      default -> throw new Embed4jException.InvalidInput("unknown --long-input '" + longInput + "'; valid: truncate, chunk");
    };
    EncodeOptions options = EncodeOptions.defaults()
        .withPromptName(promptName).withPrompt(prompt).withDimensions(dimensions)
        .withNormalize(noNormalize ? Boolean.FALSE : null)
        .withLongInput(mode, chunkOverlap)
        .withBatching(batchTokens, EncodeOptions.DEFAULT_MAX_BATCH_SIZE);
    try (TextInput in = TextInput.open(input);
        EmbeddingModel model = modelOptions.load();
        VectorWriter writer = new VectorWriter(output, f, p);
        ProgressBar progress = new ProgressBar("encode", -1, quiet)) {
      EncodeStats stats = EncodeStats.EMPTY;
      boolean scalarQuantized = p == Precision.INT8 || p == Precision.UINT8;
      float[][] ranges = null;
      if (calibration != null) {
        if (!scalarQuantized) {
          throw new Embed4jException.InvalidInput("--calibration applies to --precision int8 or uint8 only");
        }
        try (TextInput c = TextInput.open(calibration)) {
          List<String> texts = new ArrayList<>();
          for (List<String> b; !(b = c.next(BLOCK)).isEmpty(); ) {
            texts.addAll(b);
          }
          if (texts.isEmpty()) {
            throw new Embed4jException.InvalidInput(calibration + ": empty calibration file");
          }
          ranges = Quantizer.ranges(model.encode(texts, options));
        }
      }
      // Without ranges, int8/uint8 calibrate on all embeddings of the run, as sentence-transformers does.
      boolean calibrateOnAll = scalarQuantized && ranges == null;
      List<float[]> all = calibrateOnAll ? new ArrayList<>() : null;
      for (List<String> block; !(block = in.next(BLOCK)).isEmpty(); ) {
        Embeddings e = model.embed(block, options);
        stats = stats.plus(e.stats());
        if (calibrateOnAll) {
          all.addAll(List.of(e.vectors()));
        } else if (p == Precision.FLOAT32) {
          writer.writeFloats(e.vectors());
        } else {
          writer.writeBytes(Quantizer.quantize(e.vectors(), p, ranges));
        }
        progress.advance(block.size());
      }
      if (in.linesRead() == 0) {
        throw new Embed4jException.InvalidInput(in.name() + ": empty input, no text to encode");
      }
      if (calibrateOnAll) {
        writer.writeBytes(Quantizer.quantize(all.toArray(new float[0][]), p, null));
      }
      writer.commit();
      if (!quiet && output != null) {
        System.err.printf(Locale.ROOT, "encoded %d texts (%d tokens) in %.1fs: %.0f texts/s, padding %.1f%%%n",
            stats.texts(), stats.realTokens(), stats.nanos() / 1e9, stats.texts() / (stats.nanos() / 1e9), 100 * stats.paddingRatio());
      }
    }
    return 0;
  }
}

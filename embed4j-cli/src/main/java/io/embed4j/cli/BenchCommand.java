package io.embed4j.cli;

import io.embed4j.EmbeddingModel;
import io.embed4j.encode.EncodeOptions;
import io.embed4j.encode.Embeddings;
import io.embed4j.model.TransformerShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code embed4j bench encode}: throughput of whole encode runs, and the share of the machine's matmul peak;
 * {@code embed4j bench texts}: the scale-out benchmark's input texts ({@link BenchTextsCommand}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
    subcommands = {BenchCommand.Encode.class, BenchTextsCommand.class})
public final class BenchCommand implements Runnable {
  @Override
  public void run() {
    System.err.println("usage: embed4j bench encode --input FILE [--model M] | embed4j bench texts [--count N] [--output DIR] [--shared DIR]");
  }

  @Command(name = "encode", mixinStandardHelpOptions = true,
      description = "Encode a file of texts several times; report texts/s, tokens/s, padding and GFLOP/s against measured matmul peak.")
  static final class Encode implements Callable<Integer> {
    @Mixin ModelOptions modelOptions;

    @Option(names = {"-i", "--input"}, required = true, description = "Text file, one text per line.")
    String input;

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs after one warm-up (best is reported). Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--batch-tokens", defaultValue = "" + EncodeOptions.DEFAULT_BATCH_TOKENS, description = "Padded tokens per batch.")
    int batchTokens;

    @Option(names = "--max-batch", defaultValue = "" + EncodeOptions.DEFAULT_MAX_BATCH_SIZE, description = "Texts per batch at most.")
    int maxBatch;

    @Option(names = "--no-peak", description = "Skip measuring the matmul peak.")
    boolean noPeak;

    @Option(names = "--json", description = "Print one JSON line instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      List<String> texts = new ArrayList<>();
      try (TextInput in = TextInput.open(input)) {
        for (List<String> b; !(b = in.next(65536)).isEmpty(); ) {
          texts.addAll(b);
        }
      }
      if (texts.isEmpty()) {
        throw new io.embed4j.Embed4jException.InvalidInput(input + ": empty input, no text to encode");
      }
      EncodeOptions options = EncodeOptions.defaults().withBatching(batchTokens, maxBatch);
      try (EmbeddingModel model = modelOptions.load()) {
        model.embed(texts.subList(0, Math.min(texts.size(), 512)), options); // warm-up
        Embeddings best = null;
        for (int r = 0; r < Math.max(1, runs); r++) {
          Embeddings e = model.embed(texts, options);
          if (best == null || e.stats().nanos() < best.stats().nanos()) {
            best = e;
          }
        }
        var s = best.stats();
        double seconds = s.nanos() / 1e9;
        TransformerShape shape = TransformerShape.of(model.files());
        double gflops = Double.NaN;
        if (shape != null) {
          // Work the encoder did, padding included, at the batches' mean padded length.
          double meanLen = (double) s.paddedTokens() / Math.max(1, s.sequences());
          gflops = shape.flopsPerToken((int) Math.round(meanLen)) * s.paddedTokens() / seconds / 1e9;
        }
        int threads = modelOptions.threads == 0 ? Runtime.getRuntime().availableProcessors() : modelOptions.threads;
        double peak = noPeak ? Double.NaN : MatmulPeak.measure(1024, threads, 2.0);
        String line = String.format(Locale.ROOT,
            "{\"model\":\"%s\",\"texts\":%d,\"seconds\":%.3f,\"texts_per_s\":%.1f,\"tokens_per_s\":%.1f,\"padding_ratio\":%.4f,"
                + "\"batches\":%d,\"gflops\":%.2f,\"matmul_peak_gflops\":%.2f,\"share_of_peak\":%.3f,\"threads\":%d,\"simd\":\"%s\"}",
            model.name(), s.texts(), seconds, s.texts() / seconds, s.realTokens() / seconds, s.paddingRatio(), s.batches(),
            gflops, peak, gflops / peak, threads, io.embed4j.vector.VectorMath.implementation());
        if (json) {
          System.out.println(line);
        } else {
          System.out.printf(Locale.ROOT, "model        %s (%d threads)%n", model.name(), threads);
          System.out.printf(Locale.ROOT, "texts        %d in %.2fs (best of %d)%n", s.texts(), seconds, Math.max(1, runs));
          System.out.printf(Locale.ROOT, "throughput   %.1f texts/s, %.0f tokens/s%n", s.texts() / seconds, s.realTokens() / seconds);
          System.out.printf(Locale.ROOT, "padding      %.1f%% of %d processed tokens, %d batches%n", 100 * s.paddingRatio(), s.paddedTokens(), s.batches());
          System.out.printf(Locale.ROOT, "compute      %.1f GFLOP/s est.; fp32 matmul peak %.1f GFLOP/s measured; %.0f%% of peak%n",
              gflops, peak, 100 * gflops / peak);
          System.out.println(line);
        }
      }
      return 0;
    }
  }
}

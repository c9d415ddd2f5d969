package io.embed4j.cli.rerank;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.embed4j.Embed4jException;
import io.embed4j.backend.BackendOptions;
import io.embed4j.cli.TextInput;
import io.embed4j.model.Embed4jHome;
import io.embed4j.rerank.Activation;
import io.embed4j.rerank.CrossEncoder;
import io.embed4j.rerank.CrossEncoderOptions;
import io.embed4j.rerank.RankedDocument;
import io.embed4j.rerank.TextPair;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code embed4j rerank}: orders documents (one per line) by a cross-encoder's score for a query. */
@Command(name = "rerank", mixinStandardHelpOptions = true,
    description = "Score documents (one per line) against a query with a cross-encoder and print them best first.")
public final class RerankCommand implements Callable<Integer> {
  @Option(names = {"-m", "--model"}, required = true,
      description = "Cross-encoder directory (config.json, tokenizer.json, onnx/model.onnx) or Hugging Face Hub id (org/name[@revision]).")
  String model;

  @Option(names = {"-q", "--query"}, required = true, description = "The query.")
  String query;

  @Option(names = {"-i", "--input"}, required = true, description = "Documents, one per line (UTF-8), or - for stdin.")
  String input;

  @Option(names = {"-k", "--top-k"}, defaultValue = "0", description = "Print only the best K (0 = all). Default: ${DEFAULT-VALUE}.")
  int topK;

  @Option(names = "--json", description = "Print a JSON array [{\"index\", \"score\", \"text\"}] as TEI's /rerank answers.")
  boolean json;

  @Option(names = "--activation", description = "Override the model's activation: sigmoid, identity, tanh or softmax.")
  String activation;

  @Option(names = "--max-length", defaultValue = "0", description = "Tokens per (query, document) pair at most (0 = the model's).")
  int maxLength;

  @Option(names = "--batch-tokens", defaultValue = "2048", description = "Padded tokens per batch. Default: ${DEFAULT-VALUE}.")
  int batchTokens;

  @Option(names = "--threads", defaultValue = "0", description = "Inference threads (0 = one per core).")
  int threads;

  @Option(names = "--quiet", description = "No timing line on stderr.")
  boolean quiet;

  @Option(names = "--no-ort-cache", description = "Do not cache the optimized graph (under $EMBED4J_HOME/ort-cache).")
  boolean noOrtCache;

  @Override
  public Integer call() throws IOException {
    if (topK < 0) {
      throw new Embed4jException.InvalidInput("--top-k must be >= 0 (0 = all), got " + topK);
    }
    if (threads < 0) {
      throw new Embed4jException.InvalidInput("--threads must be >= 0, got " + threads);
    }
    List<String> documents = new ArrayList<>();
    try (TextInput in = TextInput.open(input)) {
      for (List<String> block; !(block = in.next(8192)).isEmpty(); ) {
        documents.addAll(block);
      }
      if (documents.isEmpty()) {
        throw new Embed4jException.InvalidInput(in.name() + ": empty input, no documents to rerank");
      }
    }
    CrossEncoderOptions options = CrossEncoderOptions.defaults()
        .withBackend(new BackendOptions(threads, "all", noOrtCache ? null : Embed4jHome.dir().resolve("ort-cache")))
        .withMaxLength(maxLength)
        .withBatching(batchTokens, 32);
    if (activation != null) {
      try {
        options = options.withActivation(Activation.fromName(activation));
      } catch (IllegalArgumentException e) {
        throw new Embed4jException.InvalidInput("--activation: " + e.getMessage());
      }
    }
    try (CrossEncoder reranker = CrossEncoder.load(model, options)) {
      if (reranker.numLabels() != 1) {
        throw new Embed4jException.InvalidInput(model + " has " + reranker.numLabels() + " labels " + reranker.config().labels()
            + "; rerank needs a one-label cross-encoder (a relevance score)");
      }
      List<TextPair> pairs = new ArrayList<>(documents.size());
      for (String d : documents) {
        pairs.add(TextPair.of(query, d));
      }
      CrossEncoder.Predictions p = reranker.score(pairs);
      float[] scores = new float[documents.size()];
      for (int i = 0; i < scores.length; i++) {
        scores[i] = p.scores()[i][0];
      }
      List<RankedDocument> ranked = CrossEncoder.ranked(scores, topK);
      if (json) {
        writeJson(System.out, ranked, documents);
      } else {
        PrintStream out = System.out;
        for (RankedDocument r : ranked) {
          out.printf(Locale.ROOT, "%.4f\t%d\t%s%n", r.score(), r.index(), documents.get(r.index()));
        }
        out.flush();
      }
      if (!json && !quiet) {
        System.err.printf(Locale.ROOT, "reranked %d documents in %.0f ms (%d tokens, %d batches)%n", documents.size(),
            p.stats().nanos() / 1e6, p.stats().realTokens(), p.stats().batches());
      }
    }
    return 0;
  }

  static void writeJson(OutputStream out, List<RankedDocument> ranked, List<String> documents) throws IOException {
    JsonFactory factory = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartArray();
      for (RankedDocument r : ranked) {
        g.writeStartObject();
        g.writeNumberField("index", r.index());
        g.writeNumberField("score", r.score());
        g.writeStringField("text", documents.get(r.index()));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeRaw('\n');
    }
    out.flush();
  }
}

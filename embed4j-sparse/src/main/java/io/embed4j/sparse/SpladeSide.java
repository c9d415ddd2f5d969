package io.embed4j.sparse;

import io.embed4j.Embed4jException;
import io.embed4j.backend.BackendOptions;
import io.embed4j.backend.FloatTensor;
import io.embed4j.backend.OnnxRunner;
import io.embed4j.encode.BatchPlanner;
import io.embed4j.encode.BatchStream;
import io.embed4j.encode.EncodeStats;
import io.embed4j.tokenize.TextTokenizer;
import io.embed4j.tokenize.TokenizedText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A masked-LM graph pooled by SPLADE. Each batch's logits [batch, tokens, vocabulary] are reduced to
 * one sparse vector per row inside the batch loop, so memory holds one batch of logits at a time.
 */
final class SpladeSide implements SideEncoder {
  static final String LOGITS = "logits";

  private final SparseModelConfig.Splade route;
  private final OnnxRunner runner;
  private final TextTokenizer tokenizer;
  private final String output;
  private volatile int vocab;

  SpladeSide(SparseModelConfig.Splade route, BackendOptions backend) {
    this.route = route;
    this.runner = OnnxRunner.open(route.onnxModel(), backend);
    try {
      Map<String, long[]> outputs = runner.floatOutputs();
      String chosen = outputs.containsKey(LOGITS) ? LOGITS : null;
      if (chosen == null) {
        List<String> rank3 = outputs.entrySet().stream().filter(e -> e.getValue().length == 3).map(Map.Entry::getKey).toList();
        chosen = rank3.size() == 1 ? rank3.getFirst() : null;
      }
      if (chosen == null || outputs.get(chosen).length != 3) {
        throw new Embed4jException.InvalidModel(route.onnxModel() + ": no masked-LM output; expected '" + LOGITS
            + "' [batch, tokens, vocabulary], graph has float outputs " + describe(outputs)
            + " (a sentence-embedding export is not a SPLADE model)");
      }
      this.output = chosen;
      this.vocab = (int) outputs.get(chosen)[2];
      this.tokenizer = TextTokenizer.load(route.tokenizer());
    } catch (RuntimeException e) {
      runner.close();
      throw e;
    }
  }

  private static String describe(Map<String, long[]> outputs) {
    List<String> out = new ArrayList<>();
    outputs.forEach((k, v) -> out.add(k + Arrays.toString(v)));
    return out.toString();
  }

  @Override
  public SparseEmbeddings encode(List<String> texts, SparseOptions options, int batchTokens, int maxBatchSize) {
    long started = System.nanoTime();
    int n = texts.size();
    int maxLength = options.maxLength() > 0 ? options.maxLength() : route.maxLength();
    if (maxLength <= tokenizer.prefixLength() + tokenizer.suffixLength()) {
      throw new Embed4jException.InvalidInput("max length " + maxLength + " leaves no room for text beside the special tokens");
    }
    String[] prepared = new String[n];
    for (int i = 0; i < n; i++) {
      if (texts.get(i) == null) {
        throw new Embed4jException.InvalidInput("text " + i + " is null");
      }
      prepared[i] = options.prompt() + texts.get(i);
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> prepared[i].length()).reversed());
    SparseVector[] vectors = new SparseVector[n];
    long realTokens = 0;
    long paddedTokens = 0;
    long batches = 0;
    float[] weights = null;
    try (BatchStream stream = BatchStream.start(n, (from, to) -> {
      List<String> block = new ArrayList<>(to - from);
      for (int k = from; k < to; k++) {
        block.add(prepared[order[k]]);
      }
      TokenizedText[] tokens = tokenizer.tokenize(block);
      for (int k = 0; k < tokens.length; k++) {
        tokens[k] = tokens[k].truncate(maxLength);
      }
      return tokens;
    }, batchTokens, maxBatchSize)) {
      for (BatchPlanner.Planned planned; (planned = stream.next()) != null; ) {
        FloatTensor logits = runner.run(planned.batch(), output);
        int rows = planned.rows().length;
        int seqLen = planned.batch().seqLen();
        if (logits.rank() != 3 || logits.dim(0) != rows || logits.dim(1) != seqLen) {
          throw new Embed4jException.InvalidModel(route.onnxModel() + ": output '" + output + "' came back as " + logits + " for a batch of "
              + rows + "x" + seqLen + " tokens; expected [" + rows + ", " + seqLen + ", vocabulary]");
        }
        int v = logits.dim(2);
        vocab = v;
        if (weights == null || weights.length != v) {
          weights = new float[v];
        }
        for (int r = 0; r < rows; r++) {
          route.pooling().pool(logits.values(), r, seqLen, v, planned.batch().lengths()[r], weights);
          vectors[order[planned.rows()[r].text()]] = SpladePooling.prune(weights, options.maxActiveDims(), options.threshold());
        }
        realTokens += planned.batch().realTokens();
        paddedTokens += planned.batch().paddedTokens();
        batches++;
      }
    }
    return new SparseEmbeddings(vectors, new EncodeStats(n, n, realTokens, paddedTokens, batches, System.nanoTime() - started));
  }

  @Override
  public int dimensions() {
    return vocab;
  }

  @Override
  public String token(int index) {
    return tokenizer.decode(new long[] {index}, false);
  }

  @Override
  public void close() {
    runner.close();
    if (tokenizer != null) {
      tokenizer.close();
    }
  }

  @Override
  public String toString() {
    return "splade(" + route.onnxModel().getFileName() + ", " + route.pooling() + ", max_length=" + route.maxLength() + ")";
  }
}

package io.embed4j.sparse;

import com.fasterxml.jackson.databind.JsonNode;
import io.embed4j.Embed4jException;
import io.embed4j.encode.EncodeStats;
import io.embed4j.modules.SafeTensors;
import io.embed4j.tokenize.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Inference-free encoding ({@code SparseStaticEmbedding}): a text's vector holds, for each distinct
 * token of the text (special tokens left out, truncated to the max length), that token's fixed
 * weight. No network runs: queries cost a tokenization.
 */
final class StaticSide implements SideEncoder {
  private final SparseModelConfig.StaticWeights route;
  private final TextTokenizer tokenizer;
  private final float[] weights;

  StaticSide(SparseModelConfig.StaticWeights route) {
    this.route = route;
    this.weights = route.weights().getFileName().toString().endsWith(".json") ? fromIdfJson(route) : fromSafeTensors(route);
    this.tokenizer = TextTokenizer.load(route.tokenizer());
  }

  private static float[] fromSafeTensors(SparseModelConfig.StaticWeights route) {
    Map<String, SafeTensors.Tensor> tensors = SafeTensors.read(route.weights());
    SafeTensors.Tensor t = tensors.get("weight");
    if (t == null && tensors.size() == 1) {
      t = tensors.values().iterator().next();
    }
    if (t == null || t.shape().length != 1) {
      throw new Embed4jException.InvalidModel(route.weights() + ": expected one 'weight' tensor of shape [vocabulary], found " + tensors.keySet());
    }
    return t.values();
  }

  // idf.json maps token strings to weights; tokenizer.json's vocabulary maps them to ids.
  private static float[] fromIdfJson(SparseModelConfig.StaticWeights route) {
    JsonNode idf = SparseModelConfig.readJson(route.weights());
    JsonNode vocabNode = SparseModelConfig.readJson(route.tokenizer()).path("model").path("vocab");
    if (!vocabNode.isObject()) {
      throw new Embed4jException.InvalidModel(route.tokenizer() + ": no token-to-id vocabulary to map " + route.weights() + " onto");
    }
    Map<String, Integer> vocab = new HashMap<>();
    vocabNode.fields().forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asInt()));
    int size = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    float[] w = new float[size];
    for (Iterator<Map.Entry<String, JsonNode>> it = idf.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Integer id = vocab.get(e.getKey());
      if (id != null) {
        w[id] = (float) e.getValue().asDouble();
      }
    }
    return w;
  }

  @Override
  public SparseEmbeddings encode(List<String> texts, SparseOptions options, int batchTokens, int maxBatchSize) {
    long started = System.nanoTime();
    int maxLength = options.maxLength() > 0 ? options.maxLength() : route.maxLength();
    List<String> prepared = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i) == null) {
        throw new Embed4jException.InvalidInput("text " + i + " is null");
      }
      prepared.add(options.prompt() + texts.get(i));
    }
    long[][] ids = tokenizer.contentIds(prepared);
    SparseVector[] vectors = new SparseVector[ids.length];
    float[] dense = new float[weights.length];
    long tokens = 0;
    for (int i = 0; i < ids.length; i++) {
      int n = Math.min(ids[i].length, maxLength);
      tokens += n;
      for (int k = 0; k < n; k++) {
        int id = (int) ids[i][k];
        if (id >= 0 && id < dense.length) {
          dense[id] = weights[id];
        }
      }
      vectors[i] = SpladePooling.prune(dense, options.maxActiveDims(), options.threshold());
      Arrays.fill(dense, 0f);
    }
    return new SparseEmbeddings(vectors, new EncodeStats(ids.length, ids.length, tokens, tokens, 0, System.nanoTime() - started));
  }

  @Override
  public int dimensions() {
    return weights.length;
  }

  @Override
  public String token(int index) {
    return tokenizer.decode(new long[] {index}, false);
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  @Override
  public String toString() {
    return "static(" + route.weights().getFileName() + ", " + weights.length + " weights)";
  }
}

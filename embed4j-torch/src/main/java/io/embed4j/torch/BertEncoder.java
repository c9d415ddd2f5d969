package io.embed4j.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import io.embed4j.Embed4jException;
import io.embed4j.backend.TokenBatch;
import io.embed4j.modules.SafeTensors;
import io.embed4j.pooling.PoolingMode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A BERT-family encoder on DJL NDArrays (PyTorch engine), trainable: Hugging Face's {@code BertModel}
 * forward pass, then the sentence-transformers head — pooling under the attention mask and optional
 * L2 normalization — computed the same way as embed4j-core's inference pipeline.
 *
 * <p>Parameters live in this encoder's own manager under their Hugging Face names and layout
 * ({@code [out, in]} for linear layers). Every activation is created in the manager of the batch
 * the caller passes, so closing that manager frees a step's memory. Not thread-safe.
 *
 * <pre>
 * embeddings = LayerNorm(word[ids] + position[0..T) + type[typeIds])
 * per layer:  a = LayerNorm(x + Wo·softmax(QKᵀ/√d + maskBias)·V)
 *             x = LayerNorm(a + W2·gelu(W1·a))
 * sentence   = normalize(pool(x, mask))
 * </pre>
 */
public final class BertEncoder implements AutoCloseable {
  /** Pooling modes this encoder computes; others are refused with this list. */
  public static final Set<PoolingMode> SUPPORTED_POOLING =
      EnumSet.of(PoolingMode.CLS, PoolingMode.MEAN, PoolingMode.MAX, PoolingMode.MEAN_SQRT_LEN_TOKENS);

  // HF BERT adds finfo(float32).min where the mask is 0, as the exported ONNX graphs do.
  private static final double MASK_BIAS = -Float.MAX_VALUE;

  private final BertConfig config;
  private final List<PoolingMode> pooling;
  private final boolean normalize;
  private final DataType dataType;
  private final NDManager manager;
  private final Map<String, NDArray> parameters;
  private final Map<String, SafeTensors.Tensor> extras;
  private boolean training;

  private BertEncoder(BertConfig config, List<PoolingMode> pooling, boolean normalize, DataType dataType,
      Map<String, SafeTensors.Tensor> weights) {
    this.config = config;
    List<PoolingMode> modes = pooling.stream().sorted().distinct().toList();
    for (PoolingMode m : modes) {
      if (!SUPPORTED_POOLING.contains(m)) {
        throw new Embed4jException.InvalidModel("pooling mode '" + m.configName() + "' is not supported by the trainable encoder; supported: "
            + SUPPORTED_POOLING.stream().map(PoolingMode::configName).toList());
      }
    }
    if (modes.isEmpty()) {
      throw new IllegalArgumentException("the encoder needs at least one pooling mode");
    }
    if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT64) {
      throw new IllegalArgumentException("dataType must be FLOAT32 or FLOAT64, got " + dataType);
    }
    this.pooling = modes;
    this.normalize = normalize;
    this.dataType = dataType;
    this.manager = Torch.engine().newBaseManager();
    this.parameters = new LinkedHashMap<>();
    this.extras = new LinkedHashMap<>();
    try {
      Map<String, long[]> shapes = parameterShapes(config);
      for (Map.Entry<String, long[]> e : shapes.entrySet()) {
        SafeTensors.Tensor t = weights.get(e.getKey());
        if (t == null) {
          throw new Embed4jException.InvalidModel("the weights have no '" + e.getKey() + "'");
        }
        if (!java.util.Arrays.equals(t.shape(), e.getValue())) {
          throw new Embed4jException.InvalidModel("weight '" + e.getKey() + "' has shape " + java.util.Arrays.toString(t.shape())
              + ", expected " + java.util.Arrays.toString(e.getValue()));
        }
        NDArray a = manager.create(t.values(), new Shape(t.shape()));
        parameters.put(e.getKey(), dataType == DataType.FLOAT32 ? a : a.toType(dataType, false));
      }
      for (Map.Entry<String, SafeTensors.Tensor> e : weights.entrySet()) {
        if (!shapes.containsKey(e.getKey())) {
          extras.put(e.getKey(), e.getValue()); // e.g. the pooler, which sentence embeddings do not use
        }
      }
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** An encoder over given weights (Hugging Face names and layout). */
  public static BertEncoder of(BertConfig config, Map<String, SafeTensors.Tensor> weights, List<PoolingMode> pooling,
      boolean normalize, DataType dataType) {
    return new BertEncoder(config, pooling, normalize, dataType, weights);
  }

  /**
   * A randomly initialized encoder, as Hugging Face initializes BERT: weights N(0, 0.02), biases 0,
   * LayerNorm scale 1. The values come from {@code java.util.Random(seed)}, so they repeat exactly.
   */
  public static BertEncoder random(BertConfig config, List<PoolingMode> pooling, boolean normalize, DataType dataType, long seed) {
    return new BertEncoder(config, pooling, normalize, dataType, randomWeights(config, seed));
  }

  /** Random weights in Hugging Face names and layout (see {@link #random}). */
  public static Map<String, SafeTensors.Tensor> randomWeights(BertConfig config, long seed) {
    Random random = new Random(seed);
    Map<String, SafeTensors.Tensor> w = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : parameterShapes(config).entrySet()) {
      long[] shape = e.getValue();
      int n = 1;
      for (long d : shape) {
        n *= (int) d;
      }
      float[] v = new float[n];
      String name = e.getKey();
      if (name.contains("LayerNorm.weight")) {
        java.util.Arrays.fill(v, 1f);
      } else if (!name.endsWith(".bias")) {
        for (int i = 0; i < n; i++) {
          v[i] = (float) (random.nextGaussian() * 0.02);
        }
      }
      w.put(name, new SafeTensors.Tensor(shape, v));
    }
    return w;
  }

  /** The trainable parameters of a BERT encoder and their shapes, in Hugging Face order. */
  public static Map<String, long[]> parameterShapes(BertConfig c) {
    Map<String, long[]> s = new LinkedHashMap<>();
    long h = c.hiddenSize();
    s.put("embeddings.word_embeddings.weight", new long[] {c.vocabSize(), h});
    s.put("embeddings.position_embeddings.weight", new long[] {c.maxPositions(), h});
    s.put("embeddings.token_type_embeddings.weight", new long[] {c.typeVocabSize(), h});
    s.put("embeddings.LayerNorm.weight", new long[] {h});
    s.put("embeddings.LayerNorm.bias", new long[] {h});
    for (int l = 0; l < c.layers(); l++) {
      String p = "encoder.layer." + l + ".";
      for (String proj : List.of("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense")) {
        s.put(p + proj + ".weight", new long[] {h, h});
        s.put(p + proj + ".bias", new long[] {h});
      }
      s.put(p + "attention.output.LayerNorm.weight", new long[] {h});
      s.put(p + "attention.output.LayerNorm.bias", new long[] {h});
      s.put(p + "intermediate.dense.weight", new long[] {c.intermediateSize(), h});
      s.put(p + "intermediate.dense.bias", new long[] {c.intermediateSize()});
      s.put(p + "output.dense.weight", new long[] {h, c.intermediateSize()});
      s.put(p + "output.dense.bias", new long[] {h});
      s.put(p + "output.LayerNorm.weight", new long[] {h});
      s.put(p + "output.LayerNorm.bias", new long[] {h});
    }
    return s;
  }

  public BertConfig config() {
    return config;
  }

  public List<PoolingMode> pooling() {
    return pooling;
  }

  public boolean normalize() {
    return normalize;
  }

  public DataType dataType() {
    return dataType;
  }

  /** Width of the sentence embeddings. */
  public int dimensions() {
    return config.hiddenSize() * pooling.size();
  }

  /** The trainable parameters by Hugging Face name (live arrays: updating them changes the encoder). */
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  /** Turns dropout on (training) or off (inference). */
  public void setTraining(boolean training) {
    this.training = training;
  }

  public boolean isTraining() {
    return training;
  }

  /** Marks every parameter as needing gradients. */
  public void requireGradients() {
    for (NDArray p : parameters.values()) {
      p.setRequiresGradient(true);
    }
  }

  /** The batch as NDArrays in {@code m}: ids, attention mask and token types, each [batch, seqLen] int64. */
  public static NDArray[] inputs(NDManager m, TokenBatch batch) {
    Shape shape = new Shape(batch.size(), batch.seqLen());
    return new NDArray[] {m.create(batch.inputIds(), shape), m.create(batch.attentionMask(), shape), m.create(batch.tokenTypeIds(), shape)};
  }

  /** Token embeddings [batch, seqLen, hidden], the last hidden state. */
  public NDArray tokenEmbeddings(NDArray ids, NDArray mask, NDArray typeIds) {
    int seqLen = (int) ids.getShape().get(1);
    if (seqLen > config.maxPositions()) {
      throw new Embed4jException.InvalidInput("a batch of " + seqLen + " tokens exceeds the encoder's " + config.maxPositions() + " positions");
    }
    NDManager m = ids.getManager();
    NDArray positions = m.arange(0, seqLen, 1, DataType.INT64).expandDims(0);
    NDArray x = Embedding.embedding(ids, p("embeddings.word_embeddings.weight"), SparseFormat.DENSE).get(0)
        .add(Embedding.embedding(positions, p("embeddings.position_embeddings.weight"), SparseFormat.DENSE).get(0))
        .add(Embedding.embedding(typeIds, p("embeddings.token_type_embeddings.weight"), SparseFormat.DENSE).get(0));
    x = dropout(layerNorm(x, "embeddings.LayerNorm"), config.hiddenDropout());
    // [batch, 1, 1, seqLen]: 0 where attended, the most negative float where padded.
    NDArray maskBias = mask.toType(dataType, false).neg().add(1).mul(MASK_BIAS).expandDims(1).expandDims(1);
    for (int l = 0; l < config.layers(); l++) {
      x = layer(x, maskBias, "encoder.layer." + l + ".");
    }
    return x;
  }

  private NDArray layer(NDArray x, NDArray maskBias, String p) {
    long batch = x.getShape().get(0);
    long seq = x.getShape().get(1);
    int heads = config.heads();
    int d = config.headSize();
    Shape split = new Shape(batch, seq, heads, d);
    NDArray q = linear(x, p + "attention.self.query").reshape(split).transpose(0, 2, 1, 3);
    NDArray k = linear(x, p + "attention.self.key").reshape(split).transpose(0, 2, 3, 1);
    NDArray v = linear(x, p + "attention.self.value").reshape(split).transpose(0, 2, 1, 3);
    NDArray scores = q.matMul(k).div(Math.sqrt(d)).add(maskBias);
    NDArray probs = dropout(scores.softmax(-1), config.attentionDropout());
    NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(batch, seq, (long) heads * d);
    NDArray attended = layerNorm(dropout(linear(context, p + "attention.output.dense"), config.hiddenDropout()).add(x),
        p + "attention.output.LayerNorm");
    NDArray inner = Activation.gelu(linear(attended, p + "intermediate.dense"));
    return layerNorm(dropout(linear(inner, p + "output.dense"), config.hiddenDropout()).add(attended), p + "output.LayerNorm");
  }

  /**
   * Sentence embeddings [batch, dimensions]: pooling (modes concatenated in sentence-transformers'
   * order) over positions whose mask is 1, then L2 normalization when the model normalizes.
   */
  public NDArray sentenceEmbeddings(NDArray ids, NDArray mask, NDArray typeIds) {
    return pool(tokenEmbeddings(ids, mask, typeIds), mask);
  }

  /** Sentence embeddings of a padded token batch, created in {@code m}. */
  public NDArray sentenceEmbeddings(NDManager m, TokenBatch batch) {
    NDArray[] in = inputs(m, batch);
    return sentenceEmbeddings(in[0], in[1], in[2]);
  }

  /** Pools token embeddings under the mask and normalizes, as sentence-transformers' Pooling and Normalize do. */
  public NDArray pool(NDArray tokens, NDArray mask) {
    NDArray m = mask.toType(dataType, false).expandDims(2); // [batch, seq, 1]
    List<NDArray> parts = new ArrayList<>();
    for (PoolingMode mode : pooling) {
      parts.add(switch (mode) {
        case CLS -> tokens.get(":, 0, :");
        case MAX -> tokens.add(m.neg().add(1).mul(-1e9)).max(new int[] {1});
        case MEAN -> tokens.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(1e-9));
        case MEAN_SQRT_LEN_TOKENS -> tokens.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(1e-9).sqrt());
        default -> throw new IllegalStateException("unsupported pooling " + mode);
      });
    }
    NDArray pooled = parts.size() == 1 ? parts.get(0) : ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(parts), 1);
    return normalize ? l2Normalize(pooled) : pooled;
  }

  /** Rows divided by their L2 norm (at least 1e-12), as torch.nn.functional.normalize. */
  public static NDArray l2Normalize(NDArray x) {
    return x.div(x.norm(new int[] {-1}, true).maximum(1e-12));
  }

  private NDArray p(String name) {
    return parameters.get(name);
  }

  private NDArray linear(NDArray x, String module) {
    return Linear.linear(x, p(module + ".weight"), p(module + ".bias")).get(0);
  }

  private NDArray layerNorm(NDArray x, String module) {
    return LayerNorm.layerNorm(x, new Shape(config.hiddenSize()), p(module + ".weight"), p(module + ".bias"),
        (float) config.layerNormEps()).get(0);
  }

  private NDArray dropout(NDArray x, double rate) {
    return training && rate > 0 ? Dropout.dropout(x, (float) rate, true).get(0) : x;
  }

  /** All weights as float32 tensors under Hugging Face names: the trained parameters, then untouched extras (pooler). */
  public Map<String, SafeTensors.Tensor> weights() {
    Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      NDArray a = e.getValue();
      float[] v = a.getDataType() == DataType.FLOAT32 ? a.toFloatArray() : toFloats(a.toDoubleArray());
      out.put(e.getKey(), new SafeTensors.Tensor(a.getShape().getShape(), v));
    }
    out.putAll(extras);
    return out;
  }

  /** Overwrites the parameters with the given weights (same names and shapes); extras are replaced too. */
  public void loadWeights(Map<String, SafeTensors.Tensor> weights) {
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      SafeTensors.Tensor t = weights.get(e.getKey());
      if (t == null || t.values().length != e.getValue().size()) {
        throw new Embed4jException.InvalidModel("cannot load weight '" + e.getKey() + "': " + (t == null ? "missing" : "wrong size"));
      }
      if (dataType == DataType.FLOAT32) {
        e.getValue().set(t.values());
      } else {
        double[] d = new double[t.values().length];
        for (int i = 0; i < d.length; i++) {
          d[i] = t.values()[i];
        }
        e.getValue().set(d);
      }
    }
    for (String k : List.copyOf(extras.keySet())) {
      if (weights.containsKey(k)) {
        extras.put(k, weights.get(k));
      }
    }
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  /** Number of trainable values. */
  public long parameterCount() {
    long n = 0;
    for (NDArray a : parameters.values()) {
      n += a.size();
    }
    return n;
  }

  @Override
  public void close() {
    manager.close();
  }

  @Override
  public String toString() {
    return "BertEncoder[" + config.layers() + " layers, " + config.hiddenSize() + " hidden, " + config.heads() + " heads, pooling="
        + pooling.stream().map(PoolingMode::configName).toList() + ", normalize=" + normalize + ", " + dataType + "]";
  }
}

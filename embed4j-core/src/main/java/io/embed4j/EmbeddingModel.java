package io.embed4j;

import io.embed4j.backend.BackendOptions;
import io.embed4j.backend.EncoderOutput;
import io.embed4j.backend.InferenceBackend;
import io.embed4j.encode.BatchPlanner;
import io.embed4j.encode.EncodeOptions;
import io.embed4j.encode.EncodeStats;
import io.embed4j.encode.Embeddings;
import io.embed4j.encode.LongInputMode;
import io.embed4j.encode.Precision;
import io.embed4j.encode.PreparedText;
import io.embed4j.encode.Quantizer;
import io.embed4j.model.ModelConfig;
import io.embed4j.model.ModelFiles;
import io.embed4j.model.ModelResolver;
import io.embed4j.modules.Dense;
import io.embed4j.modules.VectorModule;
import io.embed4j.pooling.Pooling;
import io.embed4j.tokenize.TextTokenizer;
import io.embed4j.tokenize.TokenizedText;
import io.embed4j.vector.SimilarityFunction;
import io.embed4j.vector.VectorMath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A sentence embedding model: tokenizer, transformer encoder, pooling, optional Dense layers and
 * normalization — the pipeline sentence-transformers runs, on the JVM.
 *
 * <pre>{@code
 * try (EmbeddingModel model = EmbeddingModel.load("all-MiniLM-L6-v2")) {
 *   float[][] vectors = model.encode(List.of("hello world", "goodbye"));
 *   float score = model.similarity(vectors[0], vectors[1]);
 * }
 * }</pre>
 *
 * An instance is safe to share between threads. Each call sorts its texts by length, tokenizes them
 * on a helper thread while the encoder runs, batches them by a token budget, and returns vectors in
 * input order.
 */
public final class EmbeddingModel implements AutoCloseable {
  private static final int TOKENIZE_BLOCK = 512;

  private final ModelFiles files;
  private final ModelConfig config;
  private final TextTokenizer tokenizer;
  private final InferenceBackend backend;
  private final Pooling pooling;
  private final List<VectorModule> dense;
  private final int dimensions;

  private EmbeddingModel(ModelFiles files, InferenceBackend backend) {
    this.files = files;
    this.config = files.config();
    this.backend = backend;
    this.tokenizer = TextTokenizer.load(files.tokenizer());
    this.pooling = new Pooling(config.pooling());
    List<VectorModule> layers = new ArrayList<>();
    for (var dir : config.denseLayers()) {
      layers.add(Dense.load(dir));
    }
    this.dense = List.copyOf(layers);
    int d = backend.outputsPooled() ? backend.outputWidth() : pooling.outputDimensions(backend.outputWidth());
    for (VectorModule m : dense) {
      d = m.outputDimensions(d);
    }
    this.dimensions = d;
    warmUp();
  }

  // The first inference pays one-time costs (kernel set-up, weight pre-packing, JIT of the pooling
  // loops); pay them at load so the first real batch runs at full speed.
  private void warmUp() {
    List<String> probe = List.of("warm up", "warm up the encoder once before real work");
    embed(probe, EncodeOptions.defaults());
  }

  /** Loads a catalog model, a sentence-transformers directory or a Hub id, with default backend options. */
  public static EmbeddingModel load(String model) {
    return load(model, BackendOptions.defaults());
  }

  public static EmbeddingModel load(String model, BackendOptions options) {
    return load(ModelResolver.resolve(model), options, "onnxruntime");
  }

  /** Loads resolved model files on the named backend (found through {@link ServiceLoader}). */
  public static EmbeddingModel load(ModelFiles files, BackendOptions options, String backendName) {
    InferenceBackend.Provider provider = ServiceLoader.load(InferenceBackend.Provider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.name().equals(backendName))
        .findFirst()
        .orElseThrow(() -> new Embed4jException.InvalidInput("unknown backend '" + backendName + "'; available: "
            + ServiceLoader.load(InferenceBackend.Provider.class).stream().map(p -> p.get().name()).toList()));
    InferenceBackend backend = provider.open(files.onnxModel(), options);
    try {
      return new EmbeddingModel(files, backend);
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
  }

  public ModelConfig config() {
    return config;
  }

  public ModelFiles files() {
    return files;
  }

  public String name() {
    return config.name();
  }

  /** Width of the embeddings this model makes. */
  public int dimensions() {
    return dimensions;
  }

  public int maxSeqLength() {
    return config.maxSeqLength();
  }

  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  public SimilarityFunction similarityFunction() {
    return config.similarity();
  }

  /** Similarity of two embeddings with the model's similarity function. */
  public float similarity(float[] a, float[] b) {
    return config.similarity().compare(a, b);
  }

  public float[] encode(String text) {
    return encode(List.of(text))[0];
  }

  public float[][] encode(List<String> texts) {
    return embed(texts, EncodeOptions.defaults()).vectors();
  }

  public float[][] encode(List<String> texts, EncodeOptions options) {
    return embed(texts, options).vectors();
  }

  /** Encodes search queries with the model's query prompt (e.g. E5's "query: "). */
  public float[][] encodeQuery(List<String> queries) {
    return encode(queries, EncodeOptions.defaults().withPrompt(config.queryPrompt()));
  }

  /** Encodes documents with the model's document prompt (e.g. E5's "passage: "). */
  public float[][] encodeDocument(List<String> documents) {
    return encode(documents, EncodeOptions.defaults().withPrompt(config.documentPrompt()));
  }

  /** Encodes and quantizes ({@link Quantizer}); {@code ranges} may be null to calibrate on these texts. */
  public byte[][] encodeQuantized(List<String> texts, EncodeOptions options, Precision precision, float[][] ranges) {
    return Quantizer.quantize(encode(texts, options), precision, ranges);
  }

  /** The prompt text the options ask for: a raw prompt, a named one, or the model's default. */
  public String promptFor(EncodeOptions options) {
    if (options.prompt() != null) {
      return options.prompt();
    }
    String name = options.promptName() != null ? options.promptName() : config.defaultPromptName();
    if (name == null) {
      return "";
    }
    String p = config.prompts().get(name);
    if (p == null) {
      throw new Embed4jException.InvalidInput("model '" + name() + "' has no prompt named '" + name + "'; its prompts: "
          + (config.prompts().isEmpty() ? "none" : config.prompts().keySet()));
    }
    return p;
  }

  /**
   * Tokenizes texts as {@link #embed} does (the options' prompt, the model's lowercasing) without
   * truncating them, for callers that batch by themselves, such as {@link io.embed4j.batch.DynamicBatcher}.
   * Checks the options against the model first (prompt name, dimensions).
   */
  public PreparedText[] prepare(List<String> texts, EncodeOptions options) {
    checkOptions(options);
    String prompt = promptFor(options);
    int pooledFrom = 0;
    if (!config.includePrompt() && !prompt.isEmpty()) {
      pooledFrom = tokenizer.prefixLength() + tokenizer.countContentTokens(prompt);
    }
    List<String> prepared = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      String t = texts.get(i);
      if (t == null) {
        throw new Embed4jException.InvalidInput("text " + i + " is null");
      }
      t = prompt + t;
      prepared.add(config.doLowerCase() ? t.toLowerCase(Locale.ROOT) : t);
    }
    // One text (the common case under a server) skips the batch call and its thread pool.
    TokenizedText[] tokens = prepared.size() == 1
        ? new TokenizedText[] {tokenizer.tokenize(prepared.getFirst())}
        : tokenizer.tokenize(prepared);
    PreparedText[] out = new PreparedText[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      out[i] = new PreparedText(tokens[i], Math.min(pooledFrom, Math.max(0, tokens[i].length() - 1)));
    }
    return out;
  }

  /** Rejects options this model cannot honour: an unknown prompt name, more dimensions than it has. */
  public void checkOptions(EncodeOptions options) {
    if (options.dimensions() > dimensions) {
      throw new Embed4jException.InvalidInput("dimensions " + options.dimensions() + " exceeds the model's " + dimensions);
    }
    promptFor(options);
  }

  /**
   * Runs prepared texts through the encoder as one padded batch, then pooling and Dense layers: one
   * vector per text, in input order, before {@link #finish}. Each text must already fit
   * {@link #maxSeqLength()}; token ids must be below the tokenizer's vocabulary size.
   */
  public float[][] encodePrepared(List<PreparedText> texts) {
    if (texts.isEmpty()) {
      return new float[0][];
    }
    BatchPlanner.Planned planned = padOne(texts);
    EncoderOutput out = backend.run(planned.batch());
    float[][] vectors = new float[texts.size()][];
    for (int r = 0; r < planned.rows().length; r++) {
      int i = planned.rows()[r].text();
      float[] v = out.pooled()
          ? Arrays.copyOfRange(out.values(), r * out.width(), (r + 1) * out.width())
          : pooling.pool(out.values(), r, out.seqLen(), out.width(), planned.batch().lengths()[r], texts.get(i).pooledFrom());
      for (VectorModule m : dense) {
        v = m.apply(v);
      }
      vectors[i] = v;
    }
    return vectors;
  }

  /**
   * The encoder's token embeddings of prepared texts, run as one padded batch: per text, one row
   * per real token (padding left out), as TEI's {@code /embed_all} returns them.
   */
  public float[][][] tokenEmbeddings(List<PreparedText> texts) {
    if (backend.outputsPooled()) {
      throw new Embed4jException.InvalidInput("model '" + name() + "' outputs pooled embeddings only; it has no token embeddings");
    }
    if (texts.isEmpty()) {
      return new float[0][][];
    }
    BatchPlanner.Planned planned = padOne(texts);
    EncoderOutput out = backend.run(planned.batch());
    float[][][] result = new float[texts.size()][][];
    for (int r = 0; r < planned.rows().length; r++) {
      int length = planned.batch().lengths()[r];
      float[][] rows = new float[length][];
      for (int t = 0; t < length; t++) {
        int from = (r * out.seqLen() + t) * out.width();
        rows[t] = Arrays.copyOfRange(out.values(), from, from + out.width());
      }
      result[planned.rows()[r].text()] = rows;
    }
    return result;
  }

  private BatchPlanner.Planned padOne(List<PreparedText> texts) {
    List<BatchPlanner.Item> items = new ArrayList<>(texts.size());
    int max = config.maxSeqLength();
    for (int i = 0; i < texts.size(); i++) {
      TokenizedText t = texts.get(i).tokens();
      if (t.length() > max) {
        throw new Embed4jException.InvalidInput("text " + i + " has " + t.length() + " tokens; model '" + name()
            + "' takes at most " + max + " (truncate it first)");
      }
      for (long id : t.ids()) {
        if (id < 0 || id >= tokenizer.vocabSize()) {
          throw new Embed4jException.InvalidInput("token id " + id + " of text " + i + " is outside the vocabulary (0.."
              + (tokenizer.vocabSize() - 1) + ")");
        }
      }
      items.add(new BatchPlanner.Item(i, 0, 1, t));
    }
    return BatchPlanner.plan(items, Integer.MAX_VALUE, items.size()).getFirst();
  }

  /** Keeps the options' dimensions and normalizes as they (or the model) ask: the last step of {@link #embed}. */
  public float[] finish(float[] vector, EncodeOptions options) {
    return finish(vector, options.dimensions(), options.normalize() != null ? options.normalize() : config.normalize());
  }

  /** One embedding per window of each text (multi-vector), windows of max_seq_length with the given overlap. */
  public List<float[][]> encodeWindows(List<String> texts, EncodeOptions options) {
    List<float[][]> out = new ArrayList<>();
    run(texts, options.withLongInput(LongInputMode.CHUNK, options.chunkOverlap()), out);
    return out;
  }

  /** Encodes and reports what the call did (tokens, padding, batches, time). */
  public Embeddings embed(List<String> texts, EncodeOptions options) {
    return run(texts, options, null);
  }

  private Embeddings run(List<String> texts, EncodeOptions options, List<float[][]> windowsOut) {
    long started = System.nanoTime();
    if (options.dimensions() > dimensions) {
      throw new Embed4jException.InvalidInput("dimensions " + options.dimensions() + " exceeds the model's " + dimensions);
    }
    int n = texts.size();
    String prompt = promptFor(options);
    int firstPooled = 0;
    if (!config.includePrompt() && !prompt.isEmpty()) {
      firstPooled = tokenizer.prefixLength() + tokenizer.countContentTokens(prompt);
    }
    String[] prepared = new String[n];
    for (int i = 0; i < n; i++) {
      String t = texts.get(i);
      if (t == null) {
        throw new Embed4jException.InvalidInput("text " + i + " is null");
      }
      t = prompt + t;
      prepared[i] = config.doLowerCase() ? t.toLowerCase(Locale.ROOT) : t;
    }
    // Longest texts first, as sentence-transformers orders them: batches of similar length pad little.
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(prepared[b].length(), prepared[a].length()));

    float[][] pooled = new float[n][];
    float[] weightSums = new float[n];
    List<List<float[]>> windows = windowsOut == null ? null : new ArrayList<>(n);
    if (windows != null) {
      for (int i = 0; i < n; i++) {
        windows.add(new ArrayList<>());
      }
    }
    long[] counters = new long[4]; // sequences, real tokens, padded tokens, batches
    boolean chunk = options.longInput() == LongInputMode.CHUNK;
    BatchProducer producer = new BatchProducer(prepared, order, options, chunk);
    if (n <= TOKENIZE_BLOCK) {
      producer.runInline();
    } else {
      Thread.ofPlatform().daemon().name("embed4j-tokenize").start(producer);
    }
    try {
      for (BatchPlanner.Planned planned; (planned = producer.next()) != null; ) {
        EncoderOutput out = backend.run(planned.batch());
        counters[0] += planned.rows().length;
        counters[1] += planned.batch().realTokens();
        counters[2] += planned.batch().paddedTokens();
        counters[3]++;
        for (int r = 0; r < planned.rows().length; r++) {
          BatchPlanner.Item item = planned.rows()[r];
          float[] v = out.pooled()
              ? Arrays.copyOfRange(out.values(), r * out.width(), (r + 1) * out.width())
              : pooling.pool(out.values(), r, out.seqLen(), out.width(), planned.batch().lengths()[r], firstPooled);
          for (VectorModule m : dense) {
            v = m.apply(v);
          }
          accumulate(item, v, pooled, weightSums, windows);
        }
      }
    } finally {
      producer.cancel();
    }
    boolean normalize = options.normalize() != null ? options.normalize() : config.normalize();
    for (int i = 0; i < n; i++) {
      float[] v = pooled[i];
      if (weightSums[i] != 1f && weightSums[i] > 0f) {
        for (int h = 0; h < v.length; h++) {
          v[h] /= weightSums[i];
        }
      }
      pooled[i] = finish(v, options.dimensions(), normalize);
    }
    if (windows != null) {
      for (List<float[]> w : windows) {
        float[][] vs = w.toArray(new float[0][]);
        for (int k = 0; k < vs.length; k++) {
          vs[k] = finish(vs[k], options.dimensions(), normalize);
        }
        windowsOut.add(vs);
      }
    }
    EncodeStats stats = new EncodeStats(n, counters[0], counters[1], counters[2], counters[3], System.nanoTime() - started);
    return new Embeddings(pooled, stats);
  }

  private static void accumulate(BatchPlanner.Item item, float[] v, float[][] pooled, float[] weightSums, List<List<float[]>> windows) {
    int t = item.text();
    if (windows != null) {
      List<float[]> w = windows.get(t);
      while (w.size() <= item.window()) {
        w.add(null);
      }
      w.set(item.window(), v.clone());
    }
    if (pooled[t] == null && item.weight() == 1) {
      pooled[t] = v;
      weightSums[t] = 1f;
      return;
    }
    if (pooled[t] == null) {
      pooled[t] = new float[v.length];
    }
    for (int h = 0; h < v.length; h++) {
      pooled[t][h] += item.weight() * v[h];
    }
    weightSums[t] += item.weight();
  }

  private static float[] finish(float[] v, int dims, boolean normalize) {
    float[] out = dims > 0 && dims < v.length ? Arrays.copyOf(v, dims) : v;
    return normalize ? VectorMath.normalizeInPlace(out) : out;
  }

  /**
   * Tokenizes texts in length order, block by block, and cuts each block into batches; hands them to
   * the encoding thread through a small queue so tokenization overlaps inference.
   */
  private final class BatchProducer implements Runnable {
    private static final Object END = new Object();
    private final String[] prepared;
    private final Integer[] order;
    private final EncodeOptions options;
    private final boolean chunk;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(64);
    private final AtomicBoolean cancelled = new AtomicBoolean();

    BatchProducer(String[] prepared, Integer[] order, EncodeOptions options, boolean chunk) {
      this.prepared = prepared;
      this.order = order;
      this.options = options;
      this.chunk = chunk;
    }

    void runInline() {
      queue.clear();
      List<BatchPlanner.Planned> all = new ArrayList<>();
      for (int from = 0; from < order.length; from += TOKENIZE_BLOCK) {
        all.addAll(planBlock(from, Math.min(order.length, from + TOKENIZE_BLOCK)));
      }
      inline = all.iterator();
    }

    private java.util.Iterator<BatchPlanner.Planned> inline;

    @Override
    public void run() {
      try {
        for (int from = 0; from < order.length && !cancelled.get(); from += TOKENIZE_BLOCK) {
          for (BatchPlanner.Planned p : planBlock(from, Math.min(order.length, from + TOKENIZE_BLOCK))) {
            put(p);
          }
        }
        put(END);
      } catch (Throwable t) {
        put(t);
      }
    }

    private void put(Object o) {
      try {
        while (!cancelled.get() && !queue.offer(o, 100, TimeUnit.MILLISECONDS)) {
          // wait for the consumer, or for cancellation
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    BatchPlanner.Planned next() {
      if (inline != null) {
        return inline.hasNext() ? inline.next() : null;
      }
      try {
        Object o = queue.take();
        if (o == END) {
          return null;
        }
        if (o instanceof RuntimeException e) {
          throw e;
        }
        if (o instanceof Error e) {
          throw e;
        }
        if (o instanceof Throwable t) {
          throw new Embed4jException("tokenization failed: " + t.getMessage(), t);
        }
        return (BatchPlanner.Planned) o;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Embed4jException("interrupted while encoding", e);
      }
    }

    void cancel() {
      cancelled.set(true);
    }

    private List<BatchPlanner.Planned> planBlock(int from, int to) {
      List<String> block = new ArrayList<>(to - from);
      for (int k = from; k < to; k++) {
        block.add(prepared[order[k]]);
      }
      TokenizedText[] tokens = tokenizer.tokenize(block);
      List<BatchPlanner.Item> items = new ArrayList<>(tokens.length);
      int max = config.maxSeqLength();
      for (int k = 0; k < tokens.length; k++) {
        int text = order[from + k];
        TokenizedText t = tokens[k];
        if (!chunk || t.length() <= max) {
          items.add(new BatchPlanner.Item(text, 0, 1, t.truncate(max)));
          continue;
        }
        int span = max - t.prefixLength() - t.suffixLength();
        int stride = Math.max(1, span - Math.min(options.chunkOverlap(), span - 1));
        int window = 0;
        for (int start = 0; start < t.contentLength(); start += stride) {
          TokenizedText w = t.window(start, span);
          items.add(new BatchPlanner.Item(text, window++, w.contentLength(), w));
          if (start + span >= t.contentLength()) {
            break;
          }
        }
      }
      return BatchPlanner.plan(items, options.batchTokens(), options.maxBatchSize());
    }
  }

  @Override
  public void close() {
    backend.close();
    tokenizer.close();
  }

  @Override
  public String toString() {
    return "EmbeddingModel[" + name() + ", " + dimensions + "d, " + pooling + ", dense=" + dense
        + ", normalize=" + config.normalize() + ", max_seq_length=" + config.maxSeqLength() + ", backend=" + backend.name() + "]";
  }
}

package io.embed4j.eval;

import io.embed4j.eval.data.BeirDataset;
import io.embed4j.eval.metrics.RetrievalMetrics;
import io.embed4j.eval.metrics.ScoredDoc;
import io.embed4j.eval.retrieval.HammingRetriever;
import io.embed4j.eval.retrieval.Int8Retriever;
import io.embed4j.eval.retrieval.Retriever;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Retrieval evaluation on a BEIR-format data set, as MTEB runs it: documents and queries embedded
 * with the model's document and query prompts, the corpus searched exactly for each query, the run
 * scored with trec_eval's definitions ({@link RetrievalMetrics}). {@code main_score} is nDCG@10.
 *
 * <p>Each {@link VectorVariant} is scored from the same full-width embeddings. float32 variants
 * search through the {@link Retriever.Factory} given (exact search by default; an index later);
 * int8 and binary variants use {@link Int8Retriever} and {@link HammingRetriever}.
 */
public final class RetrievalEvaluator {
  private final BeirDataset data;
  private final int[] cutoffs;
  private final Retriever.Factory retrievers;
  private final Progress progress;

  /**
   * @param cutoffs the k of each @k metric; 10 is added when missing, for {@code main_score}
   */
  public RetrievalEvaluator(BeirDataset data, int[] cutoffs, Retriever.Factory retrievers, Progress progress) {
    TreeSet<Integer> ks = new TreeSet<>();
    for (int k : cutoffs) {
      if (k < 1) {
        throw new IllegalArgumentException("cutoffs must be >= 1, got " + k);
      }
      ks.add(k);
    }
    ks.add(10);
    this.data = data;
    this.cutoffs = ks.stream().mapToInt(Integer::intValue).toArray();
    this.retrievers = retrievers;
    this.progress = progress;
  }

  public RetrievalEvaluator(BeirDataset data) {
    this(data, RetrievalMetrics.DEFAULT_CUTOFFS, Retriever.Factory.EXACT, Progress.NONE);
  }

  /** Full-width float32 metrics plus timings: the evaluator's flat result. */
  public Map<String, Double> evaluate(TextEncoder encoder) {
    return evaluate(encoder, List.of(new VectorVariant(encoder.dimensions(), io.embed4j.encode.Precision.FLOAT32))).flat();
  }

  public EvalResult evaluate(TextEncoder encoder, List<VectorVariant> variants) {
    if (variants.isEmpty()) {
      throw new IllegalArgumentException("no variants to evaluate");
    }
    for (VectorVariant v : variants) {
      if (v.dimensions() > encoder.dimensions()) {
        throw new io.embed4j.Embed4jException.InvalidInput("dimensions " + v.dimensions() + " exceeds the width of " + encoder.name() + " (" + encoder.dimensions() + ")");
      }
    }
    long started = System.nanoTime();
    TextEncoder.Encoded corpus = retrievers.needsCorpusVectors()
        ? encoder.encode(data.docTexts(), TextEncoder.Role.DOCUMENT)
        : new TextEncoder.Encoded(new float[0][], io.embed4j.encode.EncodeStats.EMPTY, false); // the retriever has its own index
    long corpusDone = System.nanoTime();
    TextEncoder.Encoded queries = encoder.encode(data.queryTexts(), TextEncoder.Role.QUERY);
    long queriesDone = System.nanoTime();

    Map<VectorVariant, Map<String, Double>> scores = new LinkedHashMap<>();
    Map<String, List<ScoredDoc>> firstRun = null;
    double firstSearchSeconds = 0;
    for (VectorVariant variant : variants) {
      long t0 = System.nanoTime();
      Map<String, List<ScoredDoc>> run = search(encoder, variant, corpus.vectors(), queries.vectors());
      double searchSeconds = (System.nanoTime() - t0) / 1e9;
      Map<String, Double> m = new LinkedHashMap<>(RetrievalMetrics.mean(data.qrels(), run, cutoffs));
      m.put("main_score", m.get("ndcg_at_10"));
      m.put("search_seconds", searchSeconds);
      scores.put(variant, m);
      if (firstRun == null) {
        firstRun = run;
        firstSearchSeconds = searchSeconds;
      }
    }

    Map<String, Double> info = new LinkedHashMap<>();
    info.put("corpus_size", (double) data.docIds().size());
    info.put("queries", (double) data.queryIds().size());
    info.put("judged_queries", (double) data.judgedQueries());
    info.put("corpus_cache_hit", corpus.cached() ? 1.0 : 0.0);
    info.put("encode_corpus_seconds", (corpusDone - started) / 1e9);
    info.put("corpus_texts_per_second", rate(corpus.stats().texts(), corpus.stats().nanos()));
    info.put("corpus_tokens_per_second", rate(corpus.stats().realTokens(), corpus.stats().nanos()));
    info.put("encode_queries_seconds", (queriesDone - corpusDone) / 1e9);
    info.put("search_seconds", firstSearchSeconds);
    info.put("total_seconds", (System.nanoTime() - started) / 1e9);
    return new EvalResult("retrieval", encoder.name(), data.name(), info, scores, firstRun);
  }

  private Map<String, List<ScoredDoc>> search(TextEncoder encoder, VectorVariant variant, float[][] corpusFull, float[][] queriesFull) {
    float[][] docs = variant.truncate(corpusFull, encoder.normalizes());
    float[][] qs = variant.truncate(queriesFull, encoder.normalizes());
    int depth = cutoffs[cutoffs.length - 1];
    Map<String, List<ScoredDoc>> run = new LinkedHashMap<>();
    try (Retriever retriever = open(encoder, variant, docs);
        Progress.Step step = progress.start("search " + variant.label(), qs.length)) {
      for (int q = 0; q < qs.length; q++) {
        String qid = data.queryIds().get(q);
        // One extra, in case the query's own id is among the hits (BEIR drops it).
        List<ScoredDoc> hits = retriever.search(qs[q], data.queryTexts().get(q), depth + 1);
        List<ScoredDoc> kept = new ArrayList<>(Math.min(depth, hits.size()));
        for (ScoredDoc h : hits) {
          if (!h.docId().equals(qid) && kept.size() < depth) {
            kept.add(h);
          }
        }
        run.put(qid, kept);
        step.advance(1);
      }
    }
    return run;
  }

  private Retriever open(TextEncoder encoder, VectorVariant variant, float[][] docs) {
    return switch (variant.precision()) {
      case FLOAT32 -> retrievers.build(data.docIds(), data.docTexts(), docs, encoder.similarity());
      case INT8, UINT8 -> new Int8Retriever(data.docIds(), docs, encoder.similarity(), variant.precision());
      case BINARY, UBINARY -> new HammingRetriever(data.docIds(), docs);
    };
  }

  public int[] cutoffs() {
    return Arrays.copyOf(cutoffs, cutoffs.length);
  }

  static double rate(long units, long nanos) {
    return nanos <= 0 ? 0.0 : units / (nanos / 1e9);
  }
}

package io.embed4j.train.eval;

import io.embed4j.encode.EncodeStats;
import io.embed4j.eval.RetrievalEvaluator;
import io.embed4j.eval.TextEncoder;
import io.embed4j.eval.data.BeirDataset;
import io.embed4j.eval.retrieval.Retriever;
import io.embed4j.train.TextEmbedder;
import io.embed4j.vector.SimilarityFunction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Retrieval on a BEIR split during training, scored by embed4j-eval's {@link RetrievalEvaluator}
 * (trec_eval's definitions, as {@code embed4j eval retrieval}): nDCG@10, MAP@10, recall@10 and
 * MRR@10 of the model being trained. To stay cheap between steps it may search a sub-corpus: every
 * judged document plus a fixed random sample of the rest, up to {@code corpusLimit} (0 = all);
 * scores on a sub-corpus run higher than on the full one.
 */
public final class RetrievalDevEvaluator implements DevEvaluator {
  private static final List<String> KEYS = List.of("ndcg_at_10", "map_at_10", "recall_at_10", "mrr_at_10");

  private final BeirDataset data;

  public RetrievalDevEvaluator(BeirDataset full, int corpusLimit, long seed) {
    this.data = subset(full, corpusLimit, seed);
  }

  public static RetrievalDevEvaluator load(Path dir, String split, int corpusLimit, long seed) {
    return new RetrievalDevEvaluator(BeirDataset.load(dir, split), corpusLimit, seed);
  }

  static BeirDataset subset(BeirDataset full, int limit, long seed) {
    if (limit <= 0 || full.docIds().size() <= limit) {
      return full;
    }
    Set<String> judged = new HashSet<>();
    for (Map<String, Integer> q : full.qrels().values()) {
      judged.addAll(q.keySet());
    }
    List<Integer> rest = new ArrayList<>();
    Set<Integer> keep = new HashSet<>();
    for (int i = 0; i < full.docIds().size(); i++) {
      if (judged.contains(full.docIds().get(i))) {
        keep.add(i);
      } else {
        rest.add(i);
      }
    }
    Collections.shuffle(rest, new Random(seed));
    keep.addAll(rest.subList(0, Math.max(0, Math.min(rest.size(), limit - keep.size()))));
    List<String> ids = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < full.docIds().size(); i++) {
      if (keep.contains(i)) {
        ids.add(full.docIds().get(i));
        texts.add(full.docTexts().get(i));
      }
    }
    return new BeirDataset(full.name(), ids, texts, full.queryIds(), full.queryTexts(), full.qrels());
  }

  public int corpusSize() {
    return data.docIds().size();
  }

  @Override
  public String primaryMetric() {
    return "ndcg_at_10";
  }

  @Override
  public Map<String, Double> evaluate(TextEmbedder embedder) {
    Map<String, Double> all = new RetrievalEvaluator(data, new int[] {10}, Retriever.Factory.EXACT, io.embed4j.eval.Progress.NONE)
        .evaluate(new Adapter(embedder));
    Map<String, Double> out = new LinkedHashMap<>();
    for (String k : KEYS) {
      if (all.containsKey(k)) {
        out.put(k, all.get(k));
      }
    }
    return out;
  }

  /** The training embedder seen as embed4j-eval's encoder; never cached (weights change every step). */
  private static final class Adapter implements TextEncoder {
    private final TextEmbedder embedder;
    Adapter(TextEmbedder embedder) {
      this.embedder = embedder;
    }

    @Override
    public Encoded encode(List<String> texts, Role role) {
      long t0 = System.nanoTime();
      float[][] v = role == Role.QUERY ? embedder.embedQueries(texts) : embedder.embedDocuments(texts);
      return new Encoded(v, new EncodeStats(texts.size(), texts.size(), 0, 0, 0, System.nanoTime() - t0), false);
    }

    @Override
    public String name() {
      return "model in training";
    }

    @Override
    public int dimensions() {
      return embedder.dimensions();
    }

    @Override
    public SimilarityFunction similarity() {
      return SimilarityFunction.COSINE;
    }

    @Override
    public boolean normalizes() {
      return true;
    }

    @Override
    public String fingerprint(Role role) {
      return "training-" + System.identityHashCode(this) + "-" + role;
    }
  }
}

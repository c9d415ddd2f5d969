package io.embed4j.train.mine;

import io.embed4j.train.TextEmbedder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Mines hard negatives for (anchor, positive) pairs with an embedding model, as sentence-transformers'
 * {@code mine_hard_negatives}: embed anchors and a corpus, rank the corpus for each anchor by cosine,
 * keep candidates ranked in {@code [rangeMin, rangeMax)}, drop the anchor's own positives, candidates
 * scoring above {@code maxScore}, and candidates within {@code margin} of the positive's score
 * ({@code score > positive − margin}, which catches unlabeled positives), then take
 * {@code numNegatives} of the rest — the best-scoring ones ({@code TOP}) or a random sample
 * ({@code RANDOM}).
 */
public final class HardNegativeMiner {
  /** How to choose among the remaining candidates. */
  public enum Sampling {
    TOP,
    RANDOM
  }

  /**
   * Mining settings.
   *
   * @param rangeMin skip this many best-ranked candidates (they are often unlabeled positives)
   * @param rangeMax look no further than this rank
   * @param margin a candidate must score at least this much below the positive
   * @param maxScore a candidate scoring above this is dropped
   * @param numNegatives negatives per anchor
   * @param sampling TOP or RANDOM
   * @param seed for RANDOM sampling
   */
  public record Options(int rangeMin, int rangeMax, double margin, double maxScore, int numNegatives, Sampling sampling, long seed) {
    public Options {
      if (rangeMin < 0 || rangeMax <= rangeMin) {
        throw new IllegalArgumentException("need 0 <= --range-min < --range-max, got " + rangeMin + " and " + rangeMax);
      }
      if (numNegatives < 1) {
        throw new IllegalArgumentException("--num-negatives must be >= 1, got " + numNegatives);
      }
    }

    public static Options defaults() {
      return new Options(0, 100, 0.0, 1.0, 3, Sampling.TOP, 42);
    }
  }

  /** One anchor's mining result: its positive, the chosen negatives and their scores. */
  public record Mined(String anchor, String positive, double positiveScore, List<String> negatives, List<Double> negativeScores) {}

  private final TextEmbedder embedder;
  private final Options options;

  public HardNegativeMiner(TextEmbedder embedder, Options options) {
    this.embedder = embedder;
    this.options = options;
  }

  /**
   * Mines negatives for each pair.
   *
   * @param anchors anchor of each pair
   * @param positives positive of each pair
   * @param corpus candidate texts; when empty, the distinct positives are the corpus
   */
  public List<Mined> mine(List<String> anchors, List<String> positives, List<String> corpus) {
    if (anchors.size() != positives.size()) {
      throw new IllegalArgumentException(anchors.size() + " anchors but " + positives.size() + " positives");
    }
    List<String> docs = new ArrayList<>(corpus.isEmpty() ? new java.util.LinkedHashSet<>(positives) : corpus);
    Map<String, Integer> docIndex = new HashMap<>();
    for (int i = 0; i < docs.size(); i++) {
      docIndex.putIfAbsent(docs.get(i), i);
    }
    // All positives of an anchor text are excluded, not only the pair's own.
    Map<String, Set<String>> positivesOf = new HashMap<>();
    for (int i = 0; i < anchors.size(); i++) {
      positivesOf.computeIfAbsent(anchors.get(i), k -> new HashSet<>()).add(positives.get(i));
    }
    List<String> distinctAnchors = new ArrayList<>(new java.util.LinkedHashSet<>(anchors));
    float[][] a = normalized(embedder.embedQueries(distinctAnchors));
    Map<String, float[]> anchorVectors = new LinkedHashMap<>();
    for (int i = 0; i < a.length; i++) {
      anchorVectors.put(distinctAnchors.get(i), a[i]);
    }
    float[][] d = normalized(embedder.embedDocuments(docs));
    List<String> missing = positives.stream().filter(p -> !docIndex.containsKey(p)).distinct().toList();
    Map<String, float[]> extra = new HashMap<>();
    if (!missing.isEmpty()) {
      float[][] m = normalized(embedder.embedDocuments(missing));
      for (int i = 0; i < m.length; i++) {
        extra.put(missing.get(i), m[i]);
      }
    }
    Random random = new Random(options.seed());
    List<Mined> out = new ArrayList<>(anchors.size());
    for (int i = 0; i < anchors.size(); i++) {
      float[] q = anchorVectors.get(anchors.get(i));
      Integer pi = docIndex.get(positives.get(i));
      double positiveScore = dot(q, pi != null ? d[pi] : extra.get(positives.get(i)));
      float[] scores = new float[d.length];
      Integer[] order = new Integer[d.length];
      for (int j = 0; j < d.length; j++) {
        scores[j] = (float) dot(q, d[j]);
        order[j] = j;
      }
      Arrays.sort(order, (x, y) -> Float.compare(scores[y], scores[x]));
      Set<String> own = positivesOf.get(anchors.get(i));
      List<Integer> candidates = new ArrayList<>();
      for (int r = options.rangeMin(); r < Math.min(options.rangeMax(), order.length); r++) {
        int j = order[r];
        String text = docs.get(j);
        if (own.contains(text) || text.equals(anchors.get(i))) {
          continue;
        }
        if (scores[j] > options.maxScore() || scores[j] > positiveScore - options.margin()) {
          continue;
        }
        candidates.add(j);
      }
      if (options.sampling() == Sampling.RANDOM) {
        Collections.shuffle(candidates, random);
      }
      List<String> negatives = new ArrayList<>();
      List<Double> negativeScores = new ArrayList<>();
      for (int j : candidates.subList(0, Math.min(options.numNegatives(), candidates.size()))) {
        negatives.add(docs.get(j));
        negativeScores.add((double) scores[j]);
      }
      out.add(new Mined(anchors.get(i), positives.get(i), positiveScore, negatives, negativeScores));
    }
    return out;
  }

  private static float[][] normalized(float[][] vs) {
    for (float[] v : vs) {
      double n = 0;
      for (float x : v) {
        n += x * x;
      }
      float s = (float) (1 / Math.max(Math.sqrt(n), 1e-12));
      for (int k = 0; k < v.length; k++) {
        v[k] *= s;
      }
    }
    return vs;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }
}

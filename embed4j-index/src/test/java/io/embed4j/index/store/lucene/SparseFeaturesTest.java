package io.embed4j.index.store.lucene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.Embed4jException;
import io.embed4j.index.chunk.Chunk;
import io.embed4j.index.store.ChunkRecord;
import io.embed4j.index.store.ModelStamp;
import io.embed4j.index.store.SearchHit;
import io.embed4j.index.store.SearchMode;
import io.embed4j.index.store.SearchRequest;
import io.embed4j.index.store.SourceRecord;
import io.embed4j.index.store.SparseStamp;
import io.embed4j.index.store.StoreSettings;
import io.embed4j.sparse.SparseVector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sparse search in Lucene against a brute-force dot product over the same vectors. */
class SparseFeaturesTest {
  private static final ModelStamp MODEL = new ModelStamp("m", "m", "00aa", 4, true, "cosine", "", "", 128);
  private static final int VOCAB = 2000;
  @TempDir Path tmp;

  private static SparseVector random(Random r, int active, float maxWeight) {
    TreeMap<Integer, Float> m = new TreeMap<>();
    while (m.size() < active) {
      m.put(r.nextInt(VOCAB), (float) (r.nextDouble() * maxWeight + 1e-3));
    }
    return new SparseVector(m.keySet().stream().mapToInt(Integer::intValue).toArray(), toArray(m.values()));
  }

  private static float[] toArray(java.util.Collection<Float> c) {
    float[] out = new float[c.size()];
    int i = 0;
    for (float f : c) {
      out[i++] = f;
    }
    return out;
  }

  /** The dot product with the document's weights as the index keeps them. */
  private static double storedDot(SparseVector q, SparseVector d) {
    double s = 0;
    for (int i = 0; i < q.size(); i++) {
      s += q.values()[i] * SparseFeatures.stored(d.get(q.indices()[i]));
    }
    return s;
  }

  private static ChunkRecord chunk(int i, SparseVector s) {
    Chunk c = new Chunk("chunk " + i, "", 1, 1, -1, -1, 0, null, Map.of(), 2);
    return new ChunkRecord("doc" + i, "/d/doc" + i, 0, "text", c, new float[] {1, 0, 0, 0}, s);
  }

  @Test
  void storedValuesLoseAtMostOnePartIn256() {
    Random r = new Random(1);
    for (int i = 0; i < 10_000; i++) {
      float w = (float) Math.exp(r.nextGaussian() * 3);
      float kept = SparseFeatures.stored(w);
      assertTrue(kept <= w && (w - kept) / w < 1.0 / 256, w + " kept as " + kept);
    }
    assertEquals(2.5f, SparseFeatures.stored(2.5f), "weights exact in 8 mantissa bits are kept exactly");
  }

  @Test
  void topKEqualsTheBruteForceDotProduct() {
    Random r = new Random(7);
    List<SparseVector> docs = new ArrayList<>();
    SparseStamp stamp = new SparseStamp("s", "s", "00bb", VOCAB, 0, 0f);
    try (LuceneStore store = LuceneStore.create(tmp.resolve("idx"), StoreSettings.defaults(), MODEL, stamp)) {
      for (int i = 0; i < 300; i++) {
        SparseVector d = random(r, 20 + r.nextInt(60), 3f);
        docs.add(d);
        store.put(new SourceRecord("doc" + i, "/d/doc" + i, "1:1", "sha" + i, "text", 1, ""), List.of(chunk(i, d)));
        if (i % 100 == 99) {
          store.commit(); // several segments
        }
      }
      store.commit();
      for (int trial = 0; trial < 20; trial++) {
        // Queries of 5 to 1,500 terms: past Lucene's 1,024 clauses the largest weights are kept; one weight past 64 is scaled.
        SparseVector q = random(r, trial == 19 ? 1500 : 5 + r.nextInt(200), trial == 18 ? 100f : 2f);
        SparseVector searched = trial == 19 ? largest(q, 1024) : q;
        List<Integer> byHand = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
          if (storedDot(searched, docs.get(i)) > 0) {
            byHand.add(i);
          }
        }
        byHand.sort(Comparator.comparingDouble((Integer i) -> -storedDot(searched, docs.get(i))));
        List<SearchHit> hits = store.search(SearchRequest.of(null, null, q, 10, SearchMode.SPARSE));
        assertEquals(Math.min(10, byHand.size()), hits.size(), "trial " + trial);
        for (int k = 0; k < hits.size(); k++) {
          double want = storedDot(searched, docs.get(byHand.get(k)));
          assertEquals(want, hits.get(k).score(), want * 1e-5, "trial " + trial + " rank " + k);
          assertEquals(want, storedDot(searched, docs.get(Integer.parseInt(hits.get(k).sourceId().substring(3)))), want * 1e-5,
              "trial " + trial + " rank " + k + ": the hit has the k-th best dot product");
          double exact = searched.dot(docs.get(Integer.parseInt(hits.get(k).sourceId().substring(3))));
          assertTrue(Math.abs(hits.get(k).score() - exact) <= exact / 256 + 1e-6, "within FeatureField's precision of the exact dot product");
        }
      }
    }
  }

  private static SparseVector largest(SparseVector q, int n) {
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < q.size(); i++) {
      at.add(i);
    }
    at.sort(Comparator.comparingDouble((Integer i) -> -q.values()[i]));
    TreeMap<Integer, Float> m = new TreeMap<>();
    for (int i : at.subList(0, n)) {
      m.put(q.indices()[i], q.values()[i]);
    }
    return new SparseVector(m.keySet().stream().mapToInt(Integer::intValue).toArray(), toArray(m.values()));
  }

  @Test
  void chunksMustCarrySparseVectorsExactlyWhenTheIndexHoldsThem() {
    SparseStamp stamp = new SparseStamp("s", "s", "00bb", VOCAB, 0, 0f);
    SourceRecord src = new SourceRecord("doc", "/d/doc", "1:1", "sha", "text", 1, "");
    try (LuceneStore sparse = LuceneStore.create(tmp.resolve("with"), StoreSettings.defaults(), MODEL, stamp);
        LuceneStore plain = LuceneStore.create(tmp.resolve("without"), StoreSettings.defaults(), MODEL)) {
      assertThrows(IllegalArgumentException.class, () -> sparse.put(src, List.of(chunk(0, null))));
      assertThrows(IllegalArgumentException.class, () -> sparse.put(src, List.of(chunk(0, new SparseVector(new int[] {VOCAB}, new float[] {1f})))));
      assertThrows(IllegalArgumentException.class, () -> plain.put(src, List.of(chunk(0, new SparseVector(new int[] {1}, new float[] {1f})))));
      Embed4jException.InvalidInput e = assertThrows(Embed4jException.InvalidInput.class,
          () -> plain.search(SearchRequest.of(null, null, new SparseVector(new int[] {1}, new float[] {1f}), 3, SearchMode.SPARSE)));
      assertTrue(e.getMessage().contains("holds no sparse vectors") && e.getMessage().contains("--sparse-model"), e.getMessage());
    }
    try (LuceneStore reopened = LuceneStore.open(tmp.resolve("with"), true)) {
      assertEquals(stamp, reopened.sparseModel().orElseThrow(), "the sparse model is on record");
    }
  }
}

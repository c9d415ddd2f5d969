package io.embed4j.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.Embed4jException;
import io.embed4j.SharedData;
import io.embed4j.index.job.FileSourceSet;
import io.embed4j.index.job.IndexListener;
import io.embed4j.index.job.IndexReport;
import io.embed4j.index.store.SearchHit;
import io.embed4j.index.store.SearchMode;
import io.embed4j.index.store.StoreSettings;
import io.embed4j.index.store.VectorEncoding;
import io.embed4j.index.store.lucene.SparseFeatures;
import io.embed4j.sparse.SparseVector;
import io.embed4j.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sparse vectors through the whole index: a folder indexed with the dense test model and the tiny
 * masked LM of {@link TinyModels#splade}, whose SPLADE weights are {@code log(1 + last position)}
 * of each distinct token, so every score below is worked out by hand.
 */
class SparseIndexTest {
  @TempDir Path tmp;

  private Path splade;
  private Path docs;

  private SemanticIndex.Options options(SparseIndexOptions sparse) {
    return new SemanticIndex.Options(null, TestCorpus.Models.loader(), null, null, sparse);
  }

  private SparseIndexOptions sparseModel() {
    return SparseIndexOptions.defaults().withModel(splade.toString());
  }

  private void writeDocs() throws IOException {
    splade = TinyModels.splade(tmp.resolve("splade"));
    docs = tmp.resolve("docs");
    Files.createDirectories(docs);
    Files.writeString(docs.resolve("a.txt"), "the cat sat on the mat\n");
    Files.writeString(docs.resolve("b.txt"), "the dog sat\n");
    Files.writeString(docs.resolve("c.txt"), "java vector search fast\n");
  }

  private static IndexReport update(SemanticIndex index, Path docs) {
    return index.update(List.of(new FileSourceSet(docs, List.of(index.location().root()))), IndexListener.NONE, () -> false);
  }

  /** The score Lucene gives: query weight log(1 + q) times document weight log(1 + d) as stored, summed over (q, d) position pairs. */
  private static double score(int[][] positionPairs) {
    double s = 0;
    for (int[] p : positionPairs) {
      s += (float) Math.log1p(p[0]) * SparseFeatures.stored((float) Math.log1p(p[1]));
    }
    return s;
  }

  private static List<String> files(List<SearchHit> hits) {
    return hits.stream().map(h -> Path.of(h.path()).getFileName().toString()).toList();
  }

  @Test
  void sparseSearchRanksByTheHandComputedDotProduct() throws Exception {
    writeDocs();
    try (SemanticIndex index = SemanticIndex.openOrCreate(tmp.resolve("idx"), options(sparseModel()))) {
      update(index, docs);
      assertEquals(splade.toAbsolutePath().normalize().toString(), index.store().sparseModel().orElseThrow().source());
      // Query "cat mat": [CLS]=1 cat=2 mat=3 [SEP]=4. a: [CLS]=1 the cat=3 sat on the mat=7 [SEP]=8;
      // b: [CLS]=1 the dog sat [SEP]=5; c: [CLS]=1 java vector search fast [SEP]=6.
      double a = score(new int[][] {{1, 1}, {2, 3}, {3, 7}, {4, 8}});
      double b = score(new int[][] {{1, 1}, {4, 5}});
      double c = score(new int[][] {{1, 1}, {4, 6}});
      List<SearchHit> hits = index.search("cat mat", SearchOptions.defaults().withMode(SearchMode.SPARSE)).hits();
      assertEquals(List.of("a.txt", "c.txt", "b.txt"), files(hits));
      assertEquals(a, hits.get(0).score(), a * 1e-6);
      assertEquals(c, hits.get(1).score(), c * 1e-6);
      assertEquals(b, hits.get(2).score(), b * 1e-6);

      // Hybrid of all three: BM25 finds a.txt only ("cat", "mat"), dense and sparse rank all three.
      List<SearchHit> fused = index.search("cat mat", SearchOptions.defaults()
          .withFused(List.of(SearchMode.DENSE, SearchMode.SPARSE, SearchMode.BM25))).hits();
      assertEquals("a.txt", files(fused).get(0));
      assertEquals(3, fused.size());
      List<SearchHit> noDense = index.search("cat mat", SearchOptions.defaults().withFused(List.of(SearchMode.SPARSE, SearchMode.BM25))).hits();
      assertEquals(List.of("a.txt", "c.txt", "b.txt"), files(noDense));
      assertEquals(2.0 / 61, noDense.get(0).score(), 1e-12, "first in both rankings");
    }
  }

  @Test
  void incrementalUpdatesKeepEverySparseVectorConsistentWithItsChunk() throws Exception {
    writeDocs();
    Path location = tmp.resolve("idx");
    try (SemanticIndex index = SemanticIndex.openOrCreate(location, options(sparseModel()))) {
      update(index, docs);
      Files.writeString(docs.resolve("a.txt"), "the fish read a big red tree\n\nthe bird sat on the house\n");
      Files.delete(docs.resolve("b.txt"));
      Files.writeString(docs.resolve("d.txt"), "dogs run fast\n");
      IndexReport second = update(index, docs);
      assertEquals(1, second.added());
      assertEquals(1, second.updated());
      assertEquals(1, second.deleted());

      Map<String, SparseVector> stored = storedSparseVectors(index.location().current());
      assertEquals(index.store().chunkCount(), stored.size(), "every live chunk, and only those, has sparse features");
      assertEquals(3, stored.size());
      for (Map.Entry<String, SparseVector> e : stored.entrySet()) {
        SparseVector want = index.sparseEncoder().encodeDocument(List.of(e.getKey()))[0];
        assertEquals(want.size(), e.getValue().size(), e.getKey());
        for (int i = 0; i < want.size(); i++) {
          assertEquals(want.indices()[i], e.getValue().indices()[i], e.getKey());
          assertEquals(SparseFeatures.stored(want.values()[i]), e.getValue().values()[i], 0f, e.getKey());
        }
      }
      List<SearchHit> hits = index.search("dog", SearchOptions.defaults().withMode(SearchMode.SPARSE)).hits();
      assertEquals(3, hits.size());
      assertTrue(files(hits).containsAll(List.of("a.txt", "c.txt", "d.txt")), files(hits).toString());
    }
    try (SemanticIndex reopened = SemanticIndex.openForSearch(location, options(SparseIndexOptions.defaults()))) {
      // The recorded sparse model loads by itself. Query "dogs": [CLS]=1 dogs=2 [SEP]=3; d.txt: [CLS]=1 dogs=2 run fast [SEP]=5;
      // a.txt now: 13 words, [SEP]=15.
      List<SearchHit> hits = reopened.search("dogs", SearchOptions.defaults().withMode(SearchMode.SPARSE)).hits();
      Map<String, Double> scores = new HashMap<>();
      hits.forEach(h -> scores.put(Path.of(h.path()).getFileName().toString(), h.score()));
      assertEquals(score(new int[][] {{1, 1}, {2, 2}, {3, 5}}), scores.get("d.txt"), 1e-5);
      assertEquals(score(new int[][] {{1, 1}, {3, 15}}), scores.get("a.txt"), 1e-5);
    }
  }

  /** Each live chunk's embedded text and its sparse vector as the index holds it, read back from the postings. */
  private static Map<String, SparseVector> storedSparseVectors(Path generation) throws IOException {
    Map<String, SparseVector> out = new HashMap<>();
    try (FSDirectory dir = FSDirectory.open(generation); DirectoryReader reader = DirectoryReader.open(dir)) {
      for (LeafReaderContext ctx : reader.leaves()) {
        Map<Integer, TreeMap<Integer, Float>> byDoc = new HashMap<>();
        Bits live = ctx.reader().getLiveDocs();
        Terms terms = ctx.reader().terms(SparseFeatures.FIELD);
        if (terms == null) {
          continue;
        }
        TermsEnum te = terms.iterator();
        for (BytesRef term = te.next(); term != null; term = te.next()) {
          int id = Integer.parseInt(term.utf8ToString());
          PostingsEnum pe = te.postings(null, PostingsEnum.FREQS);
          for (int doc = pe.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = pe.nextDoc()) {
            if (live == null || live.get(doc)) {
              byDoc.computeIfAbsent(doc, d -> new TreeMap<>()).put(id, Float.intBitsToFloat(pe.freq() << 15));
            }
          }
        }
        for (Map.Entry<Integer, TreeMap<Integer, Float>> e : byDoc.entrySet()) {
          Document d = ctx.reader().storedFields().document(e.getKey());
          String heading = d.get("heading") == null ? "" : d.get("heading");
          String text = heading.isEmpty() ? d.get("text") : heading + "\n\n" + d.get("text");
          float[] values = new float[e.getValue().size()];
          int i = 0;
          for (float v : e.getValue().values()) {
            values[i++] = v;
          }
          out.put(text, new SparseVector(e.getValue().keySet().stream().mapToInt(Integer::intValue).toArray(), values));
        }
      }
    }
    return out;
  }

  @Test
  void anotherSparseModelOrPruningIsRefusedWithTheWayOut() throws Exception {
    writeDocs();
    Path location = tmp.resolve("idx");
    try (SemanticIndex index = SemanticIndex.openOrCreate(location, options(sparseModel()))) {
      update(index, docs);
    }
    Embed4jException.InvalidInput e = assertThrows(Embed4jException.InvalidInput.class,
        () -> SemanticIndex.openForSearch(location, options(sparseModel().withDocumentPruning(2, null))).close());
    assertTrue(e.getMessage().contains("cannot be compared") && e.getMessage().contains("embed4j reindex --index " + location), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());

    Path plain = tmp.resolve("plain");
    try (SemanticIndex index = SemanticIndex.openOrCreate(plain, options(SparseIndexOptions.defaults()))) {
      update(index, docs);
      Embed4jException.InvalidInput noSparse = assertThrows(Embed4jException.InvalidInput.class,
          () -> index.search("cat", SearchOptions.defaults().withMode(SearchMode.SPARSE)));
      assertTrue(noSparse.getMessage().contains("holds no sparse vectors") && noSparse.getMessage().contains("--sparse-model"),
          noSparse.getMessage());
    }
    Embed4jException.InvalidInput added = assertThrows(Embed4jException.InvalidInput.class,
        () -> SemanticIndex.openOrCreate(plain, options(sparseModel())).close());
    assertTrue(added.getMessage().contains("holds no sparse vectors") && added.getMessage().contains("reindex"), added.getMessage());
  }

  @Test
  void aSparseModelWithOtherWeightsIsRefused() throws Exception {
    Path onnx = SharedData.require("models/stand-ins/dummy_transformer_mlm.onnx");
    Path tokenizer = SharedData.require("models/stand-ins/bert-base-uncased-tokenizer.json");
    writeDocs();
    Path other = tmp.resolve("dummy-mlm");
    Files.createDirectories(other.resolve("onnx"));
    Files.copy(onnx, other.resolve("onnx/model.onnx"));
    Files.copy(tokenizer, other.resolve("tokenizer.json"));
    Path location = tmp.resolve("idx");
    try (SemanticIndex index = SemanticIndex.openOrCreate(location, options(sparseModel()))) {
      update(index, docs);
    }
    Embed4jException.InvalidInput e = assertThrows(Embed4jException.InvalidInput.class,
        () -> SemanticIndex.openOrCreate(location, options(SparseIndexOptions.defaults().withModel(other.toString()))).close());
    assertTrue(e.getMessage().contains("holds sparse vectors of '" + splade.toAbsolutePath().normalize()) && e.getMessage().contains("vocabulary 30522"),
        e.getMessage());
  }

  @Test
  void theStandInMaskedLmThroughTheIndexMatchesABruteForceDotProduct() throws Exception {
    Path onnx = SharedData.require("models/stand-ins/dummy_transformer_mlm.onnx");
    Path tokenizer = SharedData.require("models/stand-ins/bert-base-uncased-tokenizer.json");
    writeDocs();
    Path mlm = tmp.resolve("dummy-mlm");
    Files.createDirectories(mlm.resolve("onnx"));
    Files.copy(onnx, mlm.resolve("onnx/model.onnx"));
    Files.copy(tokenizer, mlm.resolve("tokenizer.json"));
    // Random weights make almost every one of the 30,522 terms positive: keep each chunk's 64 largest and the query's 16.
    SparseIndexOptions sparse = SparseIndexOptions.defaults().withModel(mlm.toString()).withDocumentPruning(64, null).withQueryMaxDims(16);
    try (SemanticIndex index = SemanticIndex.openOrCreate(tmp.resolve("idx"), options(sparse))) {
      update(index, docs);
      assertEquals(30522, index.store().sparseModel().orElseThrow().dimensions());
      Map<String, SparseVector> stored = storedSparseVectors(index.location().current());
      assertEquals(3, stored.size());
      SparseVector q = index.embedSparseQuery("a cat on a mat");
      assertEquals(16, q.size());
      Map<String, Double> byHand = new HashMap<>();
      for (Map.Entry<String, SparseVector> e : stored.entrySet()) {
        // The stand-in's logits depend on the rest of the batch, so the reference is the vector the index holds.
        assertEquals(64, e.getValue().size(), e.getKey());
        double dot = 0;
        for (int i = 0; i < q.size(); i++) {
          dot += q.values()[i] * e.getValue().get(q.indices()[i]);
        }
        byHand.put(e.getKey().strip(), dot);
      }
      List<SearchHit> hits = index.search("a cat on a mat", SearchOptions.defaults().withMode(SearchMode.SPARSE)).hits();
      for (SearchHit h : hits) {
        assertEquals(byHand.get(h.text().strip()), h.score(), 1e-4 * Math.max(1, byHand.get(h.text().strip())), h.text());
      }
      for (int i = 1; i < hits.size(); i++) {
        assertTrue(hits.get(i - 1).score() >= hits.get(i).score());
      }
    }
  }

  @Test
  void reindexAddsSparseVectorsAndAConversionKeepsThem() throws Exception {
    writeDocs();
    Path location = tmp.resolve("idx");
    try (SemanticIndex index = SemanticIndex.openOrCreate(location, options(SparseIndexOptions.defaults()))) {
      update(index, docs);
    }
    IndexReport rebuilt = SemanticIndex.reindex(location, options(sparseModel()), IndexListener.NONE, () -> false);
    assertEquals(3, rebuilt.added());
    try (SemanticIndex index = SemanticIndex.openForSearch(location, options(SparseIndexOptions.defaults()))) {
      assertEquals("gen-000002", index.location().current().getFileName().toString());
      assertEquals("a.txt", files(index.search("cat mat", SearchOptions.defaults().withMode(SearchMode.SPARSE)).hits()).get(0));
    }
    IndexReport converted = SemanticIndex.reindex(location, options(SparseIndexOptions.defaults())
        .withSettings(StoreSettings.defaults().withEncoding(VectorEncoding.INT8)), IndexListener.NONE, () -> false);
    assertEquals(0, converted.encodeStats().texts(), "same models and chunks: vectors rewritten, nothing embedded");
    try (SemanticIndex index = SemanticIndex.openForSearch(location, options(SparseIndexOptions.defaults()))) {
      assertEquals(VectorEncoding.INT8, index.store().settings().encoding());
      assertTrue(index.store().sparseModel().isPresent());
      List<SearchHit> hits = index.search("cat mat", SearchOptions.defaults().withMode(SearchMode.SPARSE)).hits();
      assertEquals(score(new int[][] {{1, 1}, {2, 3}, {3, 7}, {4, 8}}), hits.get(0).score(), 1e-5);
    }
  }
}

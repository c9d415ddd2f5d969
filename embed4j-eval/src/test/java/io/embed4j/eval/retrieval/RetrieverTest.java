package io.embed4j.eval.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.embed4j.encode.Precision;
import io.embed4j.eval.metrics.ScoredDoc;
import io.embed4j.vector.SimilarityFunction;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetrieverTest {
  private static List<String> ids(List<ScoredDoc> hits) {
    return hits.stream().map(ScoredDoc::docId).toList();
  }

  @Test
  void exactSearchKeepsTheLargerIdsWhenTiesCrossTheCutoff() {
    float[][] v = {{1, 0}, {1, 0}, {1, 0}, {0, 1}};
    ExactRetriever r = new ExactRetriever(List.of("d1", "d3", "d2", "d4"), v, SimilarityFunction.COSINE);
    assertEquals(List.of("d3", "d2"), ids(r.search(new float[] {1, 0}, "", 2)));
    assertEquals(List.of("d3", "d2", "d1", "d4"), ids(r.search(new float[] {1, 0}, "", 10)));
  }

  @Test
  void hammingSearchRanksByBitDistanceThenLargerId() {
    float[][] v = {{1, 1, 1, 1}, {1, 1, 1, -1}, {1, 1, -1, -1}, {1, 1, 1, -1}};
    HammingRetriever r = new HammingRetriever(List.of("a", "b", "c", "d"), v);
    List<ScoredDoc> hits = r.search(new float[] {0.5f, 0.2f, 0.1f, -0.3f}, "", 3);
    assertEquals(List.of("d", "b", "c"), ids(hits));
    assertEquals(1.0, hits.get(0).score(), 1e-6);   // distance 0
    assertEquals(0.5, hits.get(2).score(), 1e-6);   // distance 1 of 4: 1 - 2/4
  }

  @Test
  void bitsAreSignsAndHammingCountsDifferences() {
    assertArrayEquals(new long[] {0b0101L}, QuantizedVectors.bits(new float[] {1, 0, 2, -1}));
    float[] wide = new float[70];
    wide[69] = 1;
    long[] bits = QuantizedVectors.bits(wide);
    assertEquals(2, bits.length);
    assertEquals(1, QuantizedVectors.hamming(bits, new long[2]));
  }

  @Test
  void int8QuantizesQueriesWithTheCorpusRanges() {
    float[][] docs = {{-1, 0}, {1, 0.5f}, {0, 1}};
    Int8Retriever r = new Int8Retriever(List.of("a", "b", "c"), docs, SimilarityFunction.DOT, Precision.INT8);
    float[][] ranges = io.embed4j.encode.Quantizer.ranges(docs);
    float[][] codes = QuantizedVectors.integerValues(docs, Precision.INT8, ranges);
    float[] q = QuantizedVectors.integerValues(new float[][] {{1, 1}}, Precision.INT8, ranges)[0];
    // Quantized against the corpus ranges, the query is near the top code in both dimensions (a lone
    // vector calibrated on itself would be all zeros and score every document 0).
    assertEquals(true, q[0] > 100 && q[1] > 100);
    List<ScoredDoc> hits = r.search(new float[] {1, 1}, "", 3);
    assertEquals("a", hits.get(2).docId());
    for (ScoredDoc h : hits) {
      float[] c = codes[List.of("a", "b", "c").indexOf(h.docId())];
      assertEquals(c[0] * q[0] + c[1] * q[1], h.score(), 1e-3);
    }
  }
}

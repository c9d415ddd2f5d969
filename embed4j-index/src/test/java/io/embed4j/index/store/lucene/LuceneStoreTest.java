package io.embed4j.index.store.lucene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.Embed4jException;
import io.embed4j.index.store.SearchMode;
import io.embed4j.index.store.SearchRequest;
import io.embed4j.index.store.SearchStore;
import io.embed4j.index.store.SearchStoreContract;
import io.embed4j.index.store.StoreSettings;
import io.embed4j.index.store.VectorEncoding;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Lucene store against the store contract, plus what is Lucene's own: locks and encodings. */
class LuceneStoreTest extends SearchStoreContract {
  @TempDir Path tmp;

  @Override
  protected SearchStore create(StoreSettings settings) {
    return LuceneStore.create(tmp.resolve("store-" + System.nanoTime()), settings, MODEL);
  }

  @Override
  protected SearchStore createWithSparse(StoreSettings settings) {
    return LuceneStore.create(tmp.resolve("store-" + System.nanoTime()), settings, MODEL, SPARSE_MODEL);
  }

  @Override
  protected SearchStore reopen(SearchStore closed) {
    Path path = ((LuceneStore) closed).path();
    closed.close();
    return LuceneStore.open(path, false);
  }

  @Test
  void aSecondWriterIsRefusedButReadersAreNot() {
    putFruit();
    Path path = ((LuceneStore) store).path();
    Embed4jException.InvalidInput e = assertThrows(Embed4jException.InvalidInput.class, () -> LuceneStore.open(path, false));
    assertTrue(e.getMessage().contains("is being written by another embed4j process"), e.getMessage());
    try (SearchStore reader = LuceneStore.open(path, true)) {
      assertEquals(4, reader.chunkCount());
    }
  }

  @Test
  void quantizedEncodingsRescoreWithTheFloatVectors() {
    for (VectorEncoding e : VectorEncoding.values()) {
      try (SearchStore s = create(StoreSettings.defaults().withEncoding(e))) {
        SearchStore saved = store;
        store = s;
        putFruit();
        store = saved;
        double score = s.search(SearchRequest.of(null, between(0, 2), 1, SearchMode.DENSE)).get(0).score();
        assertEquals(Math.sqrt(0.5), score, 1e-5, e + ": full-precision score after rescoring");
        assertEquals(e, s.settings().encoding());
      }
    }
  }

  @Test
  void convertRewritesVectorsIntoAnotherEncoding() {
    putFruit();
    Path from = ((LuceneStore) store).path();
    Path to = tmp.resolve("converted");
    LuceneStore.convert(from, to, StoreSettings.defaults().withEncoding(VectorEncoding.BINARY));
    try (SearchStore s = LuceneStore.open(to, true)) {
      assertEquals(VectorEncoding.BINARY, s.settings().encoding());
      assertEquals(MODEL, s.model());
      assertEquals(store.sources(), s.sources());
      assertEquals("apple.txt", s.search(SearchRequest.of(null, unit(0), 1, SearchMode.DENSE)).get(0).sourceId());
    }
  }
}

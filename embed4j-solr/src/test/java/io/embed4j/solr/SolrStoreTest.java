package io.embed4j.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.Embed4jException;
import io.embed4j.EmbeddingModel;
import io.embed4j.index.SemanticIndex;
import io.embed4j.index.store.ModelStamp;
import io.embed4j.index.store.SearchMode;
import io.embed4j.index.store.SearchRequest;
import io.embed4j.index.store.SearchStore;
import io.embed4j.index.store.SearchStoreContract;
import io.embed4j.index.store.StoreSettings;
import io.embed4j.index.store.VectorEncoding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SolrCloud store against the store contract (2 nodes, 2-shard collections), plus what is Solr's own. */
class SolrStoreTest extends SearchStoreContract {
  @Override
  protected SearchStore create(StoreSettings settings) {
    return SolrStore.openOrCreate(SolrTestCluster.newLocation("contract", 1), settings, MODEL, SolrStore.Options.defaults());
  }

  @Override
  protected SearchStore reopen(SearchStore closed) {
    SolrLocation location = ((SolrStore) closed).location();
    closed.close();
    return SolrStore.open(location, false, SolrStore.Options.defaults());
  }

  @Test
  void aStoreOfAnotherModelIsRefusedNamingBoth() {
    SolrLocation location = ((SolrStore) store).location();
    ModelStamp other = new ModelStamp("other", "other-model", "fedcba9876543210", 4, true, "cosine", "", "", 128);
    Embed4jException.InvalidInput e = assertThrows(Embed4jException.InvalidInput.class,
        () -> SolrStore.openOrCreate(location, StoreSettings.defaults(), other, SolrStore.Options.defaults()));
    assertTrue(e.getMessage().contains("test-model") && e.getMessage().contains("other-model"), e.getMessage());
    // what to do with Solr, not the embedded index's reindex
    assertTrue(e.getMessage().contains("another collection") && e.getMessage().contains("delete collection " + location.collection()),
        e.getMessage());
    assertFalse(e.getMessage().contains("reindex"), e.getMessage());
  }

  @Test
  void searchingWithAnotherModelSaysWhatToDoWithSolrNotReindex() {
    SolrLocation location = ((SolrStore) store).location();
    try (EmbeddingModel model = EmbeddingModel.load("all-MiniLM-L6-v2-q");
        SemanticIndex index = SemanticIndex.over(SolrStore.open(location, true, SolrStore.Options.defaults()),
            SemanticIndex.Options.defaults().withLoader(SemanticIndex.ModelLoader.sharing(Map.of(model.name(), model)))
                .withModel(model.name()))) {
      Embed4jException.InvalidInput e = assertThrows(Embed4jException.InvalidInput.class, index::model);
      assertTrue(e.getMessage().contains("cannot be compared") && e.getMessage().contains("another collection"), e.getMessage());
      assertFalse(e.getMessage().contains("reindex"), e.getMessage());
    }
  }

  @Test
  void knnTopKIsMergedAcrossShardsIntoOneTrueTopK() {
    // 40 sources spread over both shards; every k must give exactly the exact search's k best.
    for (int i = 0; i < 40; i++) {
      double a = Math.PI / 2 * i / 40;
      float[] v = {(float) Math.cos(a), (float) Math.sin(a), 0, 0};
      store.put(source("s" + i + ".txt", 1), List.of(chunk("s" + i + ".txt", 0, "text " + i, v, Map.of())));
    }
    store.commit();
    for (int k : new int[] {1, 3, 10, 25}) {
      List<String> exact = store.search(SearchRequest.of(null, unit(0), k, SearchMode.EXACT)).stream().map(h -> h.sourceId()).toList();
      List<String> dense = store.search(SearchRequest.of(null, unit(0), k, SearchMode.DENSE).withCandidates(k)).stream()
          .map(h -> h.sourceId()).toList();
      assertEquals(k, dense.size(), "k=" + k + ": not k per shard, k in all");
      assertEquals(exact, dense, "k=" + k);
      assertEquals("s0.txt", dense.get(0));
    }
  }

  @Test
  void quantizedEncodingsAreRefusedWithAClearMessage() {
    Embed4jException.InvalidInput e = assertThrows(Embed4jException.InvalidInput.class, () -> SolrStore.openOrCreate(
        SolrTestCluster.newLocation("int8", 1), StoreSettings.defaults().withEncoding(VectorEncoding.INT8), MODEL, SolrStore.Options.defaults()));
    assertTrue(e.getMessage().contains("float32"), e.getMessage());
  }

  @Test
  void aCollectionThatIsNotAStoreIsNamed() {
    Embed4jException.InvalidInput e = assertThrows(Embed4jException.InvalidInput.class,
        () -> SolrStore.open(SolrTestCluster.newLocation("absent", 1), true, SolrStore.Options.defaults()));
    assertTrue(e.getMessage().contains("has no collection"), e.getMessage());
  }
}

package io.embed4j.cli.search;

import io.embed4j.EmbeddingModel;
import io.embed4j.Embed4jException;
import io.embed4j.index.SemanticIndex;
import io.embed4j.index.job.IndexJob;
import io.embed4j.index.store.ModelStamp;
import io.embed4j.index.store.StoreSettings;
import io.embed4j.model.ModelCatalog;
import io.embed4j.solr.SolrLocation;
import io.embed4j.solr.SolrStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code --store solr://HOST:PORT/COLLECTION}: an index in a SolrCloud collection instead of a
 * directory. Search, evaluation and rerank run on it unchanged ({@link SemanticIndex#over}).
 */
public final class IndexStores {
  private IndexStores() {}

  /** Opens (creating when absent, for the model asked or the default) a Solr store for indexing. */
  static SemanticIndex openForUpdate(String spec, IndexModelOptions model, StoreOptions storeOptions, int commitSeconds) {
    SolrLocation location = SolrLocation.parse(spec);
    SemanticIndex.Options options = new SemanticIndex.Options(model.model, model.loader(), null,
        new IndexJob.Options(256, Duration.ofSeconds(commitSeconds)));
    if (SolrStore.exists(location, SolrStore.Options.defaults())) {
      SolrStore store = SolrStore.open(location, false, SolrStore.Options.defaults());
      if (storeOptions.anyGiven() && !storeOptions.apply(store.settings()).equals(store.settings())) {
        store.close();
        throw new Embed4jException.InvalidInput("store " + location + " was built with other settings (" + store.settings()
            + "); they are fixed when a store is created: index into a new collection to change them");
      }
      return checked(SemanticIndex.over(store, options), model.model);
    }
    String name = model.model != null ? model.model : ModelCatalog.DEFAULT_MODEL;
    EmbeddingModel m = options.loader().load(name);
    SolrStore store;
    try {
      store = SolrStore.openOrCreate(location, SolrStore.fitted(storeOptions.apply(StoreSettings.defaults()), m), ModelStamp.of(m),
          SolrStore.Options.defaults());
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    // The model just loaded serves the index (which closes it), instead of being loaded twice.
    AtomicBoolean handedOut = new AtomicBoolean();
    SemanticIndex.ModelLoader base = options.loader();
    SemanticIndex.ModelLoader reuse = n -> n.equals(name) && handedOut.compareAndSet(false, true) ? m : base.load(n);
    return SemanticIndex.over(store, options.withModel(name).withLoader(reuse));
  }

  /** Opens a Solr store for searching; {@code options.model()}, when given, must match the one on record. */
  public static SemanticIndex openForSearch(String spec, SemanticIndex.Options options) {
    SolrStore store = SolrStore.open(SolrLocation.parse(spec), true, SolrStore.Options.defaults());
    return checked(SemanticIndex.over(store, options), options.model());
  }

  /** An explicit model is checked now, before any work is done with it. */
  private static SemanticIndex checked(SemanticIndex index, String model) {
    if (model != null) {
      try {
        index.model();
      } catch (RuntimeException e) {
        index.close();
        throw e;
      }
    }
    return index;
  }

  /** Refuses --store together with a directory index. */
  public static void requireOneOf(Object index, String store) {
    if (index != null && store != null) {
      throw new Embed4jException.InvalidInput("--index DIR and --store solr://... name two indexes; give one");
    }
  }
}

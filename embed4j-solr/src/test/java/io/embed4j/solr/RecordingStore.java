package io.embed4j.solr;

import io.embed4j.index.store.ChunkRecord;
import io.embed4j.index.store.ModelStamp;
import io.embed4j.index.store.SearchHit;
import io.embed4j.index.store.SearchRequest;
import io.embed4j.index.store.SearchStore;
import io.embed4j.index.store.SourceRecord;
import io.embed4j.index.store.StoreSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A store that keeps a copy of every chunk it is given, so one embedding pass can feed a second, reference search. */
final class RecordingStore implements SearchStore {
  private final SearchStore store;
  final List<ChunkRecord> chunks = new ArrayList<>();

  RecordingStore(SearchStore store) {
    this.store = store;
  }

  @Override
  public synchronized void put(SourceRecord source, List<ChunkRecord> c) {
    chunks.addAll(c);
    store.put(source, c);
  }

  @Override public ModelStamp model() { return store.model(); }
  @Override public String rebuildAdvice(ModelStamp other) { return store.rebuildAdvice(other); }
  @Override public StoreSettings settings() { return store.settings(); }
  @Override public Map<String, String> properties() { return store.properties(); }
  @Override public void setProperty(String key, String value) { store.setProperty(key, value); }
  @Override public Map<String, SourceRecord> sources() { return store.sources(); }
  @Override public Optional<SourceRecord> source(String id) { return store.source(id); }
  @Override public void updateSource(SourceRecord source) { store.updateSource(source); }
  @Override public void delete(String sourceId) { store.delete(sourceId); }
  @Override public void commit() { store.commit(); }
  @Override public List<SearchHit> search(SearchRequest request) { return store.search(request); }
  @Override public long chunkCount() { return store.chunkCount(); }
  @Override public boolean readOnly() { return store.readOnly(); }
  @Override public void close() { store.close(); }
}

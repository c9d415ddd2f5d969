package io.embed4j.solr;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.common.SolrInputDocument;

/**
 * Documents gathered into update requests of a fixed size, each request sent (and retried) by
 * {@link SolrNodes#update} as soon as it is full. Sending builds nothing twice: a document is added
 * once and let go when its request is answered.
 */
final class UpdateBatches {
  private final SolrNodes nodes;
  private final String collection;
  private final int size;
  private final LongConsumer onSent;
  private List<SolrInputDocument> batch = new ArrayList<>();

  /** {@code onSent} hears how many documents each answered request carried. */
  UpdateBatches(SolrNodes nodes, String collection, int size, LongConsumer onSent) {
    this.nodes = nodes;
    this.collection = collection;
    this.size = size;
    this.onSent = onSent;
  }

  void add(SolrInputDocument d) {
    batch.add(d);
    if (batch.size() >= size) {
      flush();
    }
  }

  /** Sends what is gathered; when it returns, Solr has acknowledged it (visible after the next commit). */
  void flush() {
    if (batch.isEmpty()) {
      return;
    }
    UpdateRequest req = new UpdateRequest();
    req.add(batch);
    nodes.update("indexing a batch of " + batch.size() + " documents", collection, req);
    onSent.accept(batch.size());
    batch = new ArrayList<>();
  }

  /** Drops what is gathered and not sent. */
  void clear() {
    batch = new ArrayList<>();
  }
}

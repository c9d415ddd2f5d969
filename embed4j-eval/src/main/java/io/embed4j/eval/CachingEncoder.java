package io.embed4j.eval;

import io.embed4j.vector.SimilarityFunction;
import java.util.List;

/** A {@link TextEncoder} that reads embeddings from an {@link EmbeddingCache} when it can, and fills it when it cannot. */
public final class CachingEncoder implements TextEncoder {
  private final TextEncoder inner;
  private final EmbeddingCache cache;

  public CachingEncoder(TextEncoder inner, EmbeddingCache cache) {
    this.inner = inner;
    this.cache = cache;
  }

  @Override
  public Encoded encode(List<String> texts, Role role) {
    String fingerprint = inner.fingerprint(role);
    String key = EmbeddingCache.key(fingerprint, texts);
    Encoded hit = cache.get(key);
    if (hit != null && hit.vectors().length == texts.size()) {
      return hit;
    }
    Encoded fresh = inner.encode(texts, role);
    cache.put(key, fresh, fingerprint + "role: " + role + "\ntexts: " + texts.size() + "\n");
    return fresh;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public int dimensions() {
    return inner.dimensions();
  }

  @Override
  public SimilarityFunction similarity() {
    return inner.similarity();
  }

  @Override
  public boolean normalizes() {
    return inner.normalizes();
  }

  @Override
  public String fingerprint(Role role) {
    return inner.fingerprint(role);
  }
}

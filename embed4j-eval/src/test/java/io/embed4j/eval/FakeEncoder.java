package io.embed4j.eval;

import io.embed4j.encode.EncodeStats;
import io.embed4j.vector.SimilarityFunction;
import io.embed4j.vector.VectorMath;
import java.util.List;
import java.util.Map;

/**
 * A model stand-in: each text's vector is looked up in a table (unit-normalized), so expected metrics
 * can be worked out by hand. Counts the texts it was asked to encode.
 */
final class FakeEncoder implements TextEncoder {
  private final Map<String, float[]> table;
  private final int dims;
  int encodedTexts;

  FakeEncoder(Map<String, float[]> table) {
    this.table = table;
    this.dims = table.values().iterator().next().length;
  }

  @Override
  public Encoded encode(List<String> texts, Role role) {
    float[][] out = new float[texts.size()][];
    for (int i = 0; i < out.length; i++) {
      float[] v = table.get(texts.get(i));
      if (v == null) {
        throw new IllegalArgumentException("no vector for '" + texts.get(i) + "'");
      }
      out[i] = VectorMath.normalizeInPlace(v.clone());
    }
    encodedTexts += texts.size();
    return new Encoded(out, new EncodeStats(texts.size(), texts.size(), 10L * texts.size(), 10L * texts.size(), 1, 1_000_000L), false);
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public int dimensions() {
    return dims;
  }

  @Override
  public SimilarityFunction similarity() {
    return SimilarityFunction.COSINE;
  }

  @Override
  public boolean normalizes() {
    return true;
  }

  @Override
  public String fingerprint(Role role) {
    return "fake " + table.keySet() + " " + role + "\n";
  }
}

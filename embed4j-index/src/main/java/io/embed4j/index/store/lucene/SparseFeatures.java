package io.embed4j.index.store.lucene;

import io.embed4j.sparse.SparseVector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.document.FeatureField;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;

/**
 * SPLADE vectors as Lucene {@link FeatureField}s: one feature per active vocabulary id (the feature
 * name is the id in decimal), its weight kept as the term frequency of that feature. A query is a
 * disjunction of {@link FeatureField#newLinearQuery linear feature queries}, one per query term,
 * each scoring {@code query weight x document weight}, so a chunk's score is the dot product of the
 * two sparse vectors. Lucene's block-max WAND skips chunks that cannot enter the top k.
 *
 * <p>Precision: FeatureField keeps the top 17 bits of the float (sign, exponent, 8 of the 23
 * mantissa bits), truncating: a document weight loses at most 2<sup>-8</sup> (0.4 %) of its
 * value. {@link #stored} gives the value the index holds. Weights below {@link Float#MIN_NORMAL}
 * cannot be stored and are left out (they would add less than 1e-37 to a score).
 */
public final class SparseFeatures {
  /** The feature field of the sparse vectors. */
  public static final String FIELD = "sparse";

  private SparseFeatures() {}

  /** One feature per entry worth storing. */
  public static List<FeatureField> fields(SparseVector v) {
    List<FeatureField> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      if (v.values()[i] >= Float.MIN_NORMAL && Float.isFinite(v.values()[i])) {
        out.add(new FeatureField(FIELD, Integer.toString(v.indices()[i]), v.values()[i]));
      }
    }
    return out;
  }

  /** The value the index keeps for a weight: its float with the low 15 bits cleared, as FeatureField encodes it. */
  public static float stored(float weight) {
    return Float.intBitsToFloat(Float.floatToIntBits(weight) & ~((1 << 15) - 1));
  }

  /**
   * The query for a sparse query vector: its terms with a positive weight, at most
   * {@link IndexSearcher#getMaxClauseCount()} of them (the largest; SPLADE queries have tens).
   * Null when nothing is left.
   */
  public static Query query(SparseVector q) {
    int[] order = order(q);
    // Linear feature queries take weights up to 64: larger ones are scaled down and the sum scaled back up.
    float scale = order.length > 0 && q.values()[order[0]] > MAX_WEIGHT ? q.values()[order[0]] / MAX_WEIGHT : 1f;
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    int added = 0;
    for (int at : order) {
      if (added == IndexSearcher.getMaxClauseCount()) {
        break;
      }
      float w = q.values()[at] / scale;
      if (!(w > 0) || !Float.isFinite(w)) {
        continue;
      }
      b.add(FeatureField.newLinearQuery(FIELD, Integer.toString(q.indices()[at]), w), BooleanClause.Occur.SHOULD);
      added++;
    }
    if (added == 0) {
      return null;
    }
    Query query = b.build();
    return scale == 1f ? query : new BoostQuery(query, scale);
  }

  private static final float MAX_WEIGHT = 64f;

  /** Entry positions by weight, largest first. */
  private static int[] order(SparseVector q) {
    Integer[] at = new Integer[q.size()];
    for (int i = 0; i < at.length; i++) {
      at[i] = i;
    }
    Arrays.sort(at, (a, b) -> Float.compare(q.values()[b], q.values()[a]));
    return Arrays.stream(at).mapToInt(Integer::intValue).toArray();
  }
}

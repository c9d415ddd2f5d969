package io.embed4j.eval.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The order trec_eval ranks a run in, ignoring the rank column: score descending, then document id
 * descending, compared bytewise like C's {@code strcmp} (trec_eval's {@code comp_sim_docno} in
 * {@code form_res_rels.c}: {@code strcmp(ptr2->docno, ptr1->docno)}). pytrec_eval, and so BEIR and
 * MTEB, inherit it.
 */
public final class TrecOrder {
  /** Best first: higher score, then the larger id. */
  public static final Comparator<ScoredDoc> RANKING = (a, b) -> {
    int c = Double.compare(b.score(), a.score());
    return c != 0 ? c : compareIds(b.docId(), a.docId());
  };

  private TrecOrder() {}

  /** strcmp on the ids' UTF-8 bytes (unsigned); equals {@link String#compareTo} for ASCII ids. */
  public static int compareIds(String a, String b) {
    if (isAscii(a) && isAscii(b)) {
      return Integer.signum(a.compareTo(b));
    }
    return Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}

package io.embed4j.solr;

import io.embed4j.index.store.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.solr.client.solrj.util.ClientUtils;

/** Solr query syntax for the store's searches: knn, brute-force similarity, BM25 and filters. */
final class SolrQueries {
  private SolrQueries() {}

  /**
   * Approximate nearest neighbours: HNSW on every shard gathers {@code topK} (per shard, as Solr
   * applies it); the coordinating node merges the shards' lists by score, so the first {@code rows}
   * are the best of the union, which holds the global top {@code rows} whenever topK >= rows.
   */
  static String knn(float[] q, int topK) {
    return "{!knn f=vector topK=" + topK + "}" + vector(q);
  }

  /** Similarity with every vector that passes the filters (no graph): the exact reference. */
  static String exact(float[] q, String solrSimilarity) {
    return "{!func}vectorSimilarity(FLOAT32," + solrSimilarity.toUpperCase(Locale.ROOT) + ",vector," + vector(q) + ")";
  }

  /** BM25 over the analyzed field; the text is escaped, so it is never read as query syntax. */
  static String bm25(String text) {
    return "{!lucene df=bm25 q.op=OR}" + ClientUtils.escapeQueryChars(text);
  }

  static String vector(float[] q) {
    StringBuilder sb = new StringBuilder(q.length * 12).append('[');
    for (int i = 0; i < q.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(q[i]);
    }
    return sb.append(']').toString();
  }

  /** Filter queries: chunks only, then each filter (globs as wildcard queries, other values as exact terms). */
  static List<String> filters(List<Filter> filters) {
    List<String> fq = new ArrayList<>();
    fq.add("{!term f=kind}" + SolrDocuments.KIND_CHUNK);
    for (Filter f : filters) {
      String field = switch (f.field()) {
        case "path", "format", "record" -> f.field();
        default -> SolrDocuments.META_PREFIX + f.field();
      };
      String pattern = f.pattern();
      if (field.equals("path") && !pattern.startsWith("/") && !pattern.startsWith("*")) {
        pattern = "*/" + pattern; // a relative glob matches at any directory, as in the embedded index
      }
      fq.add(f.hasWildcard() || !pattern.equals(f.pattern()) ? field + ":" + escapeKeepingWildcards(pattern)
          : "{!term f=" + field + "}" + pattern);
    }
    return fq;
  }

  /** Documents whose {@code field} holds exactly {@code value}: no escaping needed, the value follows the local params. */
  static String term(String field, String value) {
    return "{!term f=" + field + "}" + value;
  }

  static String escapeKeepingWildcards(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '*' || c == '?') {
        sb.append(c);
      } else {
        sb.append(ClientUtils.escapeQueryChars(String.valueOf(c)));
      }
    }
    return sb.toString();
  }
}

package io.embed4j.tokenize;

import io.embed4j.Embed4jException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tokenizes text pairs the way a cross-encoder reads them: the tokenizer's own pair template
 * ({@code [CLS] a [SEP] b [SEP]} with token types 0 and 1 for BERT, {@code <s> a </s></s> b </s>}
 * for RoBERTa), truncated longest-first to a maximum length exactly as Hugging Face's tokenizers
 * truncate ({@code truncation="longest_first"}).
 *
 * <p>The template is found once by encoding a probe pair and locating the two plain encodings in it;
 * pairs are then assembled from each side's content ids, so both sides of many pairs are tokenized
 * in one parallel call and truncation never re-tokenizes.
 */
public final class PairTokenizer {
  private static final String PROBE_FIRST = "first";
  private static final String PROBE_SECOND = "second";

  private final TextTokenizer tokenizer;
  private final long[] prefixIds;
  private final long[] prefixTypes;
  private final long[] middleIds;
  private final long[] middleTypes;
  private final long[] suffixIds;
  private final long[] suffixTypes;
  private final long firstType;
  private final long secondType;

  public PairTokenizer(TextTokenizer tokenizer) {
    this.tokenizer = tokenizer;
    TokenizedText pair = tokenizer.tokenizePair(PROBE_FIRST, PROBE_SECOND);
    long[][] plain = tokenizer.contentIds(List.of(PROBE_FIRST, PROBE_SECOND));
    long[] ids = pair.ids();
    int a = indexOf(ids, plain[0], 0);
    int b = a < 0 ? -1 : indexOf(ids, plain[1], a + plain[0].length);
    if (a < 0 || b < 0 || plain[0].length == 0 || plain[1].length == 0) {
      throw new Embed4jException.InvalidModel("cannot find the pair template of this tokenizer: the pair ("
          + PROBE_FIRST + ", " + PROBE_SECOND + ") encodes as " + Arrays.toString(ids) + ", which does not contain "
          + Arrays.toString(plain[0]) + " then " + Arrays.toString(plain[1]));
    }
    long[] types = pair.typeIds();
    int afterA = a + plain[0].length;
    int afterB = b + plain[1].length;
    this.prefixIds = Arrays.copyOfRange(ids, 0, a);
    this.prefixTypes = Arrays.copyOfRange(types, 0, a);
    this.middleIds = Arrays.copyOfRange(ids, afterA, b);
    this.middleTypes = Arrays.copyOfRange(types, afterA, b);
    this.suffixIds = Arrays.copyOfRange(ids, afterB, ids.length);
    this.suffixTypes = Arrays.copyOfRange(types, afterB, ids.length);
    this.firstType = types[a];
    this.secondType = types[b];
  }

  private static int indexOf(long[] haystack, long[] needle, int from) {
    outer:
    for (int i = from; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Special tokens the template adds to a pair (3 for BERT, 4 for RoBERTa). */
  public int specialTokens() {
    return prefixIds.length + middleIds.length + suffixIds.length;
  }

  /** One pair, truncated to {@code maxLength} tokens in all. */
  public TokenizedText tokenize(String first, String second, int maxLength) {
    return tokenize(List.of(first), List.of(second), maxLength)[0];
  }

  /**
   * Pairs {@code (firsts[i], seconds[i])}, each truncated longest-first to {@code maxLength} tokens
   * in all, special tokens included.
   */
  public TokenizedText[] tokenize(List<String> firsts, List<String> seconds, int maxLength) {
    if (firsts.size() != seconds.size()) {
      throw new IllegalArgumentException("pairs need as many second texts as first texts: " + firsts.size() + " vs " + seconds.size());
    }
    int budget = maxLength - specialTokens();
    if (budget < 0) {
      throw new Embed4jException.InvalidInput("max length " + maxLength + " leaves no room for the " + specialTokens()
          + " special tokens of a pair");
    }
    int n = firsts.size();
    List<String> all = new ArrayList<>(2 * n);
    all.addAll(firsts);
    all.addAll(seconds);
    long[][] content = tokenizer.contentIds(all);
    TokenizedText[] out = new TokenizedText[n];
    for (int i = 0; i < n; i++) {
      long[] a = content[i];
      long[] b = content[n + i];
      int[] keep = longestFirst(a.length, b.length, budget);
      out[i] = assemble(a, keep[0], b, keep[1]);
    }
    return out;
  }

  /**
   * How many tokens of each side survive longest-first truncation to {@code budget} content tokens,
   * as Hugging Face's tokenizers compute it: the shorter side is kept whole when the longer can take
   * the rest; otherwise each gets half, the longer side (the second on a tie) one more when odd.
   */
  static int[] longestFirst(int n1, int n2, int budget) {
    if (n1 + n2 <= budget) {
      return new int[] {n1, n2};
    }
    boolean swap = n1 > n2;
    int shorter = Math.min(n1, n2);
    int longer;
    if (shorter > budget) {
      longer = shorter;
    } else {
      longer = Math.max(shorter, budget - shorter);
    }
    if (shorter + longer > budget) {
      shorter = budget / 2;
      longer = shorter + budget % 2;
    }
    int keep1 = swap ? longer : shorter;
    int keep2 = swap ? shorter : longer;
    return new int[] {Math.min(n1, keep1), Math.min(n2, keep2)};
  }

  private TokenizedText assemble(long[] a, int na, long[] b, int nb) {
    int n = prefixIds.length + na + middleIds.length + nb + suffixIds.length;
    long[] ids = new long[n];
    long[] types = new long[n];
    int at = 0;
    at = put(ids, types, at, prefixIds, prefixTypes, prefixIds.length);
    System.arraycopy(a, 0, ids, at, na);
    Arrays.fill(types, at, at + na, firstType);
    at += na;
    at = put(ids, types, at, middleIds, middleTypes, middleIds.length);
    System.arraycopy(b, 0, ids, at, nb);
    Arrays.fill(types, at, at + nb, secondType);
    at += nb;
    put(ids, types, at, suffixIds, suffixTypes, suffixIds.length);
    return new TokenizedText(ids, types, prefixIds.length, suffixIds.length);
  }

  private static int put(long[] ids, long[] types, int at, long[] srcIds, long[] srcTypes, int count) {
    System.arraycopy(srcIds, 0, ids, at, count);
    System.arraycopy(srcTypes, 0, types, at, count);
    return at + count;
  }

  @Override
  public String toString() {
    return "PairTokenizer[prefix=" + Arrays.toString(prefixIds) + ", middle=" + Arrays.toString(middleIds)
        + ", suffix=" + Arrays.toString(suffixIds) + ", types=" + firstType + "/" + secondType + "]";
  }
}

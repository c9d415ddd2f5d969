package io.embed4j.cli.search;

import java.text.BreakIterator;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** A short excerpt of a hit for the terminal: the sentence sharing most words with the query, and what follows. */
final class Snippets {
  private Snippets() {}

  static String best(String text, String query, int maxChars) {
    String flat = text.replaceAll("\\s+", " ").strip();
    if (flat.length() <= maxChars) {
      return flat;
    }
    Set<String> words = words(query);
    BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
    it.setText(flat);
    int bestStart = 0;
    int bestScore = 0;
    for (int start = it.first(), end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
      Set<String> s = words(flat.substring(start, end));
      s.retainAll(words);
      if (s.size() > bestScore) {
        bestScore = s.size();
        bestStart = start;
      }
    }
    String from = flat.substring(bestStart);
    String cut = from.length() <= maxChars ? from : cutAtSpace(from, maxChars) + "…";
    return bestStart > 0 ? "…" + cut : cut;
  }

  private static String cutAtSpace(String s, int max) {
    int at = s.lastIndexOf(' ', max);
    return s.substring(0, at > max / 2 ? at : max);
  }

  private static Set<String> words(String s) {
    Set<String> out = new HashSet<>();
    for (String w : s.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (w.length() > 2) {
        out.add(w);
      }
    }
    return out;
  }
}

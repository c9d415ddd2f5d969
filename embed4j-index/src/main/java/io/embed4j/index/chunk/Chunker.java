package io.embed4j.index.chunk;

import io.embed4j.index.extract.Block;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Cuts a document's blocks into chunks of at most {@code maxTokens} model tokens, following its
 * structure: a heading always starts a new chunk (and names the chunks under it), paragraphs are
 * packed whole while they fit, long paragraphs are cut at sentences, code at lines, and a sentence
 * longer than a chunk at words. Neighbouring chunks of one section share up to {@code overlapTokens}
 * of whole sentences. Records (JSONL lines) and PDF pages never share a chunk.
 */
public final class Chunker {
  private final ChunkingOptions options;
  private final TokenCounter tokens;

  public Chunker(ChunkingOptions options, TokenCounter tokens) {
    this.options = Objects.requireNonNull(options);
    this.tokens = Objects.requireNonNull(tokens);
  }

  public ChunkingOptions options() {
    return options;
  }

  /** A sentence, line or word run of one block, located in the source. */
  private record Unit(int block, int localStart, int localEnd, String text, int startLine, int endLine,
      int startOffset, int endOffset, int tokens) {}

  public List<Chunk> chunk(List<Block> blocks) {
    List<Chunk> out = new ArrayList<>();
    String[] headings = new String[7];
    String heading = "";
    int budget = options.maxTokens();
    List<Unit> current = new ArrayList<>();
    int currentTokens = 0;
    String record = null;
    int page = -1;
    for (int b = 0; b < blocks.size(); b++) {
      Block block = blocks.get(b);
      boolean newRecord = !Objects.equals(block.record(), record);
      if (newRecord || block.page() != page) {
        emit(out, blocks, current, heading);
        current.clear();
        currentTokens = 0;
        if (newRecord) {
          java.util.Arrays.fill(headings, null);
          heading = "";
          budget = options.maxTokens();
        }
        record = block.record();
        page = block.page();
      }
      if (block.kind() == Block.Kind.HEADING) {
        emit(out, blocks, current, heading);
        current.clear();
        currentTokens = 0;
        headings[block.level()] = block.text().strip();
        for (int l = block.level() + 1; l < headings.length; l++) {
          headings[l] = null;
        }
        heading = path(headings);
        // The heading is embedded with every chunk under it, so it takes its share of the budget.
        budget = Math.max(options.maxTokens() / 2, options.maxTokens() - tokens.count(heading) - 2);
        continue;
      }
      for (Unit u : units(b, block, budget)) {
        if (!current.isEmpty() && currentTokens + u.tokens() > budget) {
          emit(out, blocks, current, heading);
          List<Unit> tail = overlap(current, budget - u.tokens());
          current.clear();
          current.addAll(tail);
          currentTokens = tail.stream().mapToInt(Unit::tokens).sum();
        }
        current.add(u);
        currentTokens += u.tokens();
      }
    }
    emit(out, blocks, current, heading);
    return out;
  }

  /** The last whole units of a full chunk worth repeating in the next, within the overlap and the room left. */
  private List<Unit> overlap(List<Unit> previous, int room) {
    int limit = Math.min(options.overlapTokens(), room);
    int sum = 0;
    int from = previous.size();
    while (from > 1 && sum + previous.get(from - 1).tokens() <= limit) {
      sum += previous.get(from - 1).tokens();
      from--;
    }
    return new ArrayList<>(previous.subList(from, previous.size()));
  }

  private static String path(String[] headings) {
    StringBuilder sb = new StringBuilder();
    for (String h : headings) {
      if (h != null && !h.isEmpty()) {
        if (!sb.isEmpty()) {
          sb.append(" > ");
        }
        sb.append(h);
      }
    }
    return sb.toString();
  }

  private void emit(List<Chunk> out, List<Block> blocks, List<Unit> units, String heading) {
    if (units.isEmpty()) {
      return;
    }
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < units.size()) {
      int j = i;
      while (j + 1 < units.size() && units.get(j + 1).block() == units.get(i).block()) {
        j++;
      }
      Block block = blocks.get(units.get(i).block());
      if (!text.isEmpty()) {
        text.append("\n\n");
      }
      text.append(block.text(), units.get(i).localStart(), units.get(j).localEnd());
      i = j + 1;
    }
    Unit first = units.get(0);
    Unit last = units.get(units.size() - 1);
    Block firstBlock = blocks.get(first.block());
    int sum = units.stream().mapToInt(Unit::tokens).sum();
    out.add(new Chunk(text.toString(), heading, first.startLine(), last.endLine(), first.startOffset(), last.endOffset(),
        firstBlock.page(), firstBlock.record(), firstBlock.metadata(), sum));
  }

  /** The block as units no longer than {@code budget} tokens: whole, or sentences/lines, or word runs. */
  private List<Unit> units(int index, Block block, int budget) {
    String text = block.text();
    List<Unit> out = new ArrayList<>();
    int whole = tokens.count(text);
    if (whole == 0) {
      return out;
    }
    if (whole <= budget) {
      out.add(unit(index, block, 0, text.length(), whole));
      return out;
    }
    for (int[] span : block.kind() == Block.Kind.CODE ? lines(text) : sentences(text)) {
      String s = text.substring(span[0], span[1]);
      int n = tokens.count(s);
      if (n == 0) {
        continue;
      }
      if (n <= budget) {
        out.add(unit(index, block, span[0], span[1], n));
      } else {
        splitWords(index, block, span[0], span[1], n, budget, out);
      }
    }
    return out;
  }

  /** Cuts {@code [from, to)} at whitespace into runs of at most {@code budget} tokens, halving until they fit. */
  private void splitWords(int index, Block block, int from, int to, int count, int budget, List<Unit> out) {
    String text = block.text();
    if (count <= budget) {
      out.add(unit(index, block, from, to, count));
      return;
    }
    int mid = from + (to - from) / 2;
    int cut = mid;
    while (cut < to && !Character.isWhitespace(text.charAt(cut))) {
      cut++;
    }
    if (cut >= to) {
      cut = mid;
      while (cut > from && !Character.isWhitespace(text.charAt(cut))) {
        cut--;
      }
    }
    if (cut <= from) {
      cut = mid; // one huge word: cut it in the middle
    }
    int[] left = trim(text, from, cut);
    int[] right = trim(text, cut, to);
    if (left[0] < left[1]) {
      splitWords(index, block, left[0], left[1], tokens.count(text.substring(left[0], left[1])), budget, out);
    }
    if (right[0] < right[1]) {
      splitWords(index, block, right[0], right[1], tokens.count(text.substring(right[0], right[1])), budget, out);
    }
  }

  private static Unit unit(int index, Block block, int from, int to, int count) {
    String text = block.text();
    if (!block.verbatim()) {
      return new Unit(index, from, to, text.substring(from, to), block.startLine(), block.endLine(), -1, -1, count);
    }
    int startLine = block.startLine() + newlines(text, 0, from);
    int endLine = startLine + newlines(text, from, Math.max(from, to - 1));
    return new Unit(index, from, to, text.substring(from, to), startLine, endLine,
        block.startOffset() + from, block.startOffset() + to, count);
  }

  private static int newlines(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  private static List<int[]> sentences(String text) {
    BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
    it.setText(text);
    List<int[]> out = new ArrayList<>();
    for (int start = it.first(), end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
      int[] span = trim(text, start, end);
      if (span[0] < span[1]) {
        out.add(span);
      }
    }
    return out;
  }

  private static List<int[]> lines(String text) {
    List<int[]> out = new ArrayList<>();
    int pos = 0;
    while (pos < text.length()) {
      int nl = text.indexOf('\n', pos);
      int end = nl < 0 ? text.length() : nl;
      int[] span = trim(text, pos, end);
      if (span[0] < span[1]) {
        out.add(span);
      }
      pos = end + 1;
    }
    return out;
  }

  private static int[] trim(String s, int from, int to) {
    while (from < to && Character.isWhitespace(s.charAt(from))) {
      from++;
    }
    while (to > from && Character.isWhitespace(s.charAt(to - 1))) {
      to--;
    }
    return new int[] {from, to};
  }
}

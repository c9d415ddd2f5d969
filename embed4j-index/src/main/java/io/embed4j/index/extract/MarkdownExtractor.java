package io.embed4j.index.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown by lines: ATX ({@code ## Title}) and setext headings, fenced code blocks, and paragraphs
 * separated by blank lines. A YAML front matter block at the top is left out. Paragraph and code
 * text is kept verbatim so offsets point into the file.
 */
public final class MarkdownExtractor implements Extractor {
  private static final Pattern ATX = Pattern.compile("^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
  private static final Pattern SETEXT = Pattern.compile("^ {0,3}(=+|-+)[ \\t]*$");

  @Override
  public String format() {
    return "markdown";
  }

  @Override
  public Extracted extract(String fileName, byte[] content) throws Unreadable {
    return new Extracted(format(), blocks(TextDecoding.utf8(fileName, content)));
  }

  static List<Block> blocks(String text) {
    LineIndex index = new LineIndex(text);
    List<int[]> lines = lineSpans(text);
    List<Block> out = new ArrayList<>();
    int i = skipFrontMatter(text, lines);
    int paraStart = -1; // first line of the open paragraph
    int paraEnd = -1;   // last line
    while (i < lines.size()) {
      String line = text.substring(lines.get(i)[0], lines.get(i)[1]);
      Matcher fence = FENCE.matcher(line);
      Matcher atx = ATX.matcher(line);
      if (fence.find()) {
        flush(out, text, lines, paraStart, paraEnd, index);
        paraStart = -1;
        String marker = fence.group(1);
        int j = i + 1;
        while (j < lines.size()) {
          String l = text.substring(lines.get(j)[0], lines.get(j)[1]).strip();
          if (l.startsWith(marker.substring(0, 3)) && l.chars().allMatch(c -> c == marker.charAt(0)) && l.length() >= marker.length()) {
            break;
          }
          j++;
        }
        int last = Math.min(j, lines.size() - 1);
        int start = lines.get(i)[0];
        int end = lines.get(last)[1];
        if (!text.substring(start, end).isBlank()) {
          out.add(Block.verbatim(Block.Kind.CODE, 0, text, start, end, index));
        }
        i = last + 1;
        continue;
      }
      if (atx.matches()) {
        flush(out, text, lines, paraStart, paraEnd, index);
        paraStart = -1;
        String title = atx.group(2) == null ? "" : atx.group(2).strip();
        if (!title.isEmpty()) {
          out.add(heading(title, atx.group(1).length(), lines.get(i), index));
        }
        i++;
        continue;
      }
      if (line.isBlank()) {
        flush(out, text, lines, paraStart, paraEnd, index);
        paraStart = -1;
        i++;
        continue;
      }
      Matcher setext = SETEXT.matcher(line);
      if (paraStart >= 0 && setext.matches()) {
        // The open paragraph is a heading: "Title\n=====" (level 1) or "Title\n-----" (level 2).
        int[] span = {lines.get(paraStart)[0], lines.get(paraEnd)[1]};
        String title = text.substring(span[0], span[1]).strip().replaceAll("\\s+", " ");
        out.add(heading(title, setext.group(1).charAt(0) == '=' ? 1 : 2, span, index));
        paraStart = -1;
        i++;
        continue;
      }
      if (paraStart < 0) {
        paraStart = i;
      }
      paraEnd = i;
      i++;
    }
    flush(out, text, lines, paraStart, paraEnd, index);
    return out;
  }

  private static Block heading(String title, int level, int[] span, LineIndex index) {
    return new Block(Block.Kind.HEADING, title, level, index.lineOf(span[0]), index.lineOf(Math.max(span[0], span[1] - 1)),
        span[0], span[1], 0, null, null, false);
  }

  private static void flush(List<Block> out, String text, List<int[]> lines, int first, int last, LineIndex index) {
    if (first < 0) {
      return;
    }
    out.add(Block.verbatim(Block.Kind.TEXT, 0, text, lines.get(first)[0], lines.get(last)[1], index));
  }

  /** [start, end) of each line, line break and trailing whitespace excluded. */
  private static List<int[]> lineSpans(String text) {
    List<int[]> spans = new ArrayList<>();
    int pos = 0;
    while (true) {
      int nl = text.indexOf('\n', pos);
      int end = nl < 0 ? text.length() : nl;
      int trimmed = end;
      while (trimmed > pos && Character.isWhitespace(text.charAt(trimmed - 1))) {
        trimmed--;
      }
      spans.add(new int[] {pos, trimmed});
      if (nl < 0) {
        return spans;
      }
      pos = nl + 1;
    }
  }

  private static int skipFrontMatter(String text, List<int[]> lines) {
    if (lines.isEmpty() || !text.substring(lines.get(0)[0], lines.get(0)[1]).equals("---")) {
      return 0;
    }
    for (int j = 1; j < lines.size(); j++) {
      String l = text.substring(lines.get(j)[0], lines.get(j)[1]);
      if (l.equals("---") || l.equals("...")) {
        return j + 1;
      }
    }
    return 0;
  }
}

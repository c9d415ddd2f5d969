package io.embed4j.index.extract;

import java.util.ArrayList;
import java.util.List;

/**
 * Plain text and source code: paragraphs are runs of non-blank lines. Code keeps its blocks as
 * {@link Block.Kind#CODE}, so long ones are cut at lines rather than sentences.
 */
public final class PlainTextExtractor implements Extractor {
  private final boolean code;

  public PlainTextExtractor(boolean code) {
    this.code = code;
  }

  @Override
  public String format() {
    return code ? "code" : "text";
  }

  @Override
  public Extracted extract(String fileName, byte[] content) throws Unreadable {
    String text = TextDecoding.utf8(fileName, content);
    return new Extracted(format(), paragraphs(text, code ? Block.Kind.CODE : Block.Kind.TEXT));
  }

  /** Runs of non-blank lines as verbatim blocks (trailing line breaks excluded). */
  static List<Block> paragraphs(String text, Block.Kind kind) {
    LineIndex lines = new LineIndex(text);
    List<Block> out = new ArrayList<>();
    int start = -1;
    int end = -1;
    int pos = 0;
    while (pos <= text.length()) {
      int nl = text.indexOf('\n', pos);
      int lineEnd = nl < 0 ? text.length() : nl;
      boolean blank = text.substring(pos, lineEnd).isBlank();
      if (blank) {
        if (start >= 0) {
          out.add(Block.verbatim(kind, 0, text, start, end, lines));
          start = -1;
        }
      } else {
        if (start < 0) {
          start = pos;
        }
        end = trimEnd(text, pos, lineEnd);
      }
      if (nl < 0) {
        break;
      }
      pos = nl + 1;
    }
    if (start >= 0) {
      out.add(Block.verbatim(kind, 0, text, start, end, lines));
    }
    return out;
  }

  private static int trimEnd(String text, int from, int to) {
    while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
      to--;
    }
    return to;
  }
}

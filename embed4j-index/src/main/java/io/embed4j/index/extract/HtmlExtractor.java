package io.embed4j.index.extract;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.Range;
import org.jsoup.nodes.TextNode;
import org.jsoup.parser.Parser;

/**
 * HTML through jsoup's HTML5 parser, with source positions tracked so each block knows its lines.
 * Headings, paragraphs, list items, table rows and {@code pre} blocks become blocks; loose inline
 * text inside containers is gathered into paragraphs; scripts, styles and similar are dropped. The
 * {@code <title>} becomes metadata and, when the page has no {@code <h1>}, its top heading.
 */
public final class HtmlExtractor implements Extractor {
  private static final Set<String> DROPPED = Set.of("script", "style", "noscript", "template", "svg", "canvas",
      "iframe", "object", "head", "button", "select", "input", "textarea");
  private static final Set<String> TEXT_BLOCKS = Set.of("p", "li", "dt", "dd", "figcaption", "caption", "summary",
      "address", "tr", "legend", "label");

  @Override
  public String format() {
    return "html";
  }

  @Override
  public Extracted extract(String fileName, byte[] content) throws IOException {
    if (TextDecoding.looksBinary(content)) {
      throw new Unreadable("binary content (NUL bytes)");
    }
    Parser parser = Parser.htmlParser().setTrackPosition(true);
    Document doc = Jsoup.parse(new ByteArrayInputStream(content), null, "", parser);
    List<Block> blocks = new ArrayList<>();
    Map<String, String> metadata = new HashMap<>();
    String title = doc.title().strip();
    if (!title.isEmpty()) {
      metadata.put("title", title);
      if (doc.body().selectFirst("h1") == null) {
        Element t = doc.selectFirst("title");
        int line = t == null ? 1 : Math.max(1, t.sourceRange().start().lineNumber());
        blocks.add(Block.derived(Block.Kind.HEADING, 1, title, line, line));
      }
    }
    walk(doc.body(), blocks);
    return new Extracted(format(), blocks, metadata, List.of());
  }

  private void walk(Element container, List<Block> out) {
    Inline inline = new Inline();
    for (Node child : container.childNodes()) {
      if (child instanceof TextNode t) {
        inline.add(t.text(), t);
        continue;
      }
      if (!(child instanceof Element el)) {
        continue;
      }
      String tag = el.normalName();
      if (DROPPED.contains(tag)) {
        continue;
      }
      if (!el.tag().isBlock() && !tag.equals("br")) {
        inline.add(el.text(), el);
        continue;
      }
      inline.flush(out);
      if (tag.matches("h[1-6]")) {
        add(out, Block.Kind.HEADING, tag.charAt(1) - '0', el.text(), el);
      } else if (tag.equals("pre")) {
        add(out, Block.Kind.CODE, 0, el.wholeText().strip(), el);
      } else if (tag.equals("tr")) {
        add(out, Block.Kind.TEXT, 0, String.join(" | ", el.children().eachText()), el);
      } else if (TEXT_BLOCKS.contains(tag) && !hasBlockChild(el)) {
        add(out, Block.Kind.TEXT, 0, el.text(), el);
      } else {
        walk(el, out);
      }
    }
    inline.flush(out);
  }

  private static boolean hasBlockChild(Element el) {
    for (Element c : el.children()) {
      if (c.tag().isBlock() && !c.normalName().equals("br")) {
        return true;
      }
    }
    return false;
  }

  private static void add(List<Block> out, Block.Kind kind, int level, String text, Node node) {
    String t = text.strip();
    if (!t.isEmpty()) {
      int[] lines = lines(node, node);
      out.add(Block.derived(kind, level, t, lines[0], lines[1]));
    }
  }

  /** First and last source line of the nodes {@code from..to}, from jsoup's tracked positions. */
  private static int[] lines(Node from, Node to) {
    int start = Math.max(1, from.sourceRange().start().lineNumber());
    Range end = to instanceof Element e && e.endSourceRange().isTracked() ? e.endSourceRange() : to.sourceRange();
    int last = Math.max(start, end.end().lineNumber());
    // A range ending at column 1 of a line ends on the line before.
    if (end.end().columnNumber() == 1 && last > start) {
      last--;
    }
    return new int[] {start, last};
  }

  /** Consecutive text and inline elements of a container, joined into one paragraph. */
  private static final class Inline {
    private final StringBuilder text = new StringBuilder();
    private Node first;
    private Node last;

    void add(String t, Node node) {
      if (t.isBlank()) {
        if (!text.isEmpty()) {
          text.append(' ');
        }
        return;
      }
      if (first == null) {
        first = node;
      }
      last = node;
      if (!text.isEmpty() && text.charAt(text.length() - 1) != ' ') {
        text.append(' ');
      }
      text.append(t.strip());
    }

    void flush(List<Block> out) {
      if (first != null) {
        String t = text.toString().strip();
        if (!t.isEmpty()) {
          int[] lines = lines(first, last);
          out.add(Block.derived(Block.Kind.TEXT, 0, t, lines[0], lines[1]));
        }
      }
      text.setLength(0);
      first = null;
      last = null;
    }
  }
}

package io.embed4j.index.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each format's structure and positions, and the skip rules. */
class ExtractorsTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void markdownFindsAtxAndSetextHeadingsFencesAndParagraphs() throws Exception {
    String md = "---\ntitle: x\n---\n# One\n\nPara one.\n\nTwo\n---\n\n```java\nint x;\n\nint y;\n```\n\nLast para.\n";
    List<Block> b = new MarkdownExtractor().extract("a.md", utf8(md)).blocks();
    assertEquals(List.of(Block.Kind.HEADING, Block.Kind.TEXT, Block.Kind.HEADING, Block.Kind.CODE, Block.Kind.TEXT),
        b.stream().map(Block::kind).toList());
    assertEquals("One", b.get(0).text());
    assertEquals(4, b.get(0).startLine());
    assertEquals(2, b.get(2).level());
    assertEquals("Two", b.get(2).text());
    assertTrue(b.get(3).text().contains("int x;\n\nint y;"), "a blank line inside a fence stays in the code block");
    assertEquals(11, b.get(3).startLine());
    assertEquals(15, b.get(3).endLine());
    assertEquals("Last para.", b.get(4).text());
  }

  @Test
  void htmlUsesARealParserAndKnowsSourceLines() throws Exception {
    String html = "<html><head><title>Garden</title><script>var x = 1;</script></head>\n<body>\n<h1>Tomatoes</h1>\n"
        + "<p>Water them\n<b>deeply</b> twice a week.</p>\n<ul><li>Stake</li><li>Prune</li></ul>\n"
        + "<div>Loose <i>inline</i> text</div>\n<pre>code  here</pre>\n</body></html>";
    Extracted e = new HtmlExtractor().extract("g.html", utf8(html));
    List<Block> b = e.blocks();
    assertEquals("Garden", e.metadata().get("title"));
    assertEquals("Tomatoes", b.get(0).text());
    assertEquals(Block.Kind.HEADING, b.get(0).kind());
    assertEquals(3, b.get(0).startLine());
    assertEquals("Water them deeply twice a week.", b.get(1).text());
    assertEquals(4, b.get(1).startLine());
    assertEquals(5, b.get(1).endLine());
    assertEquals("Stake", b.get(2).text());
    assertEquals("Prune", b.get(3).text());
    assertEquals("Loose inline text", b.get(4).text());
    assertEquals(Block.Kind.CODE, b.get(5).kind());
    assertEquals("code  here", b.get(5).text());
    assertTrue(b.stream().noneMatch(x -> x.text().contains("var x")), "scripts are dropped");
  }

  @Test
  void pdfTextComesPageByPage() throws Exception {
    byte[] pdf = io.embed4j.index.TestCorpus.pdf("Solar panels on the roof.", "Batteries store the energy.");
    Extracted e = new PdfExtractor().extract("s.pdf", pdf);
    assertEquals(2, e.blocks().size());
    assertEquals(1, e.blocks().get(0).page());
    assertTrue(e.blocks().get(0).text().contains("Solar panels"));
    assertEquals(2, e.blocks().get(1).page());
    assertThrows(Extractor.Unreadable.class, () -> new PdfExtractor().extract("bad.pdf", utf8("%PDF-1.4 not really")));
  }

  @Test
  void jsonlRecordsCarryIdsMetadataAndNotesForBadLines() throws Exception {
    String jsonl = "{\"_id\":\"d1\",\"title\":\"T\",\"text\":\"Body one\",\"lang\":\"en\",\"metadata\":{\"year\":2020}}\n"
        + "not json\n{\"id\":7,\"content\":\"Body two\"}\n{\"title\":\"no body\"}\n";
    Extracted e = new JsonlExtractor().extract("r.jsonl", utf8(jsonl));
    List<Block> b = e.blocks();
    assertEquals(3, b.size());
    assertEquals("T", b.get(0).text());
    assertEquals("d1", b.get(1).record());
    assertEquals("en", b.get(1).metadata().get("lang"));
    assertEquals("2020", b.get(1).metadata().get("year"));
    assertEquals("7", b.get(2).record());
    assertEquals(3, b.get(2).startLine());
    assertEquals(2, e.notes().size());
    assertTrue(e.notes().get(0).startsWith("line 2: invalid JSON"), e.notes().toString());
    assertTrue(e.notes().get(1).startsWith("line 4: no text field"), e.notes().toString());
  }

  @Test
  void binaryAndNonUtf8AreUnreadableAndKnownBinaryFormatsAreNotRead() {
    Extractors x = new Extractors();
    assertTrue(x.forFile("photo.PNG").isEmpty());
    assertEquals("code", x.forFile("src/Main.java").orElseThrow().format());
    assertEquals("text", x.forFile("Makefile").orElseThrow().format());
    assertThrows(Extractor.Unreadable.class, () -> x.forFile("data.dat").orElseThrow().extract("data.dat", new byte[] {1, 0, 2}));
    assertThrows(Extractor.Unreadable.class, () -> x.forFile("latin1.txt").orElseThrow().extract("latin1.txt", new byte[] {'c', 'a', 'f', (byte) 0xe9}));
  }
}

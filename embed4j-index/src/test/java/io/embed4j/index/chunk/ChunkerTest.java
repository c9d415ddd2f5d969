package io.embed4j.index.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.index.extract.Block;
import io.embed4j.index.extract.MarkdownExtractor;
import io.embed4j.index.extract.PlainTextExtractor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chunker's structure rules, with words standing in for tokens so sizes are countable by eye. */
class ChunkerTest {
  private static List<Block> markdown(String text) throws Exception {
    return new MarkdownExtractor().extract("t.md", text.getBytes(StandardCharsets.UTF_8)).blocks();
  }

  @Test
  void headingStartsANewChunkAndNamesTheChunksUnderIt() throws Exception {
    String md = "# Guide\n\nIntro words here.\n\n## Install\n\nRun the installer.\n\n## Use\n\nType a query.\n";
    List<Chunk> chunks = new Chunker(new ChunkingOptions(64, 0), TokenCounter.WORDS).chunk(markdown(md));
    assertEquals(3, chunks.size());
    assertEquals("Guide", chunks.get(0).heading());
    assertEquals("Guide > Install", chunks.get(1).heading());
    assertEquals("Run the installer.", chunks.get(1).text());
    assertEquals("Guide > Use", chunks.get(2).heading());
    assertEquals("Guide > Use\n\nType a query.", chunks.get(2).embeddingText());
  }

  @Test
  void offsetsAndLinesPointBackIntoTheSource() throws Exception {
    String md = "# Title\n\nFirst paragraph\nspans two lines.\n\nSecond paragraph.\n";
    List<Chunk> chunks = new Chunker(new ChunkingOptions(64, 0), TokenCounter.WORDS).chunk(markdown(md));
    assertEquals(1, chunks.size());
    Chunk c = chunks.get(0);
    assertEquals(3, c.startLine());
    assertEquals(6, c.endLine());
    assertEquals("First paragraph\nspans two lines.", md.substring(c.startOffset(), c.startOffset() + 32));
    assertEquals("Second paragraph.", md.substring(c.endOffset() - 17, c.endOffset()));
    assertEquals("First paragraph\nspans two lines.\n\nSecond paragraph.", c.text());
  }

  @Test
  void paragraphsArePackedWholeUntilTheBudgetIsFull() throws Exception {
    // Four paragraphs of 6 words; 16 words a chunk: two paragraphs fit, a third does not.
    String text = "a b c d e f.\n\ng h i j k l.\n\nm n o p q r.\n\ns t u v w x.\n";
    List<Block> blocks = new PlainTextExtractor(false).extract("t.txt", text.getBytes(StandardCharsets.UTF_8)).blocks();
    List<Chunk> chunks = new Chunker(new ChunkingOptions(16, 0), TokenCounter.WORDS).chunk(blocks);
    assertEquals(2, chunks.size());
    assertEquals("a b c d e f.\n\ng h i j k l.", chunks.get(0).text());
    assertEquals(1, chunks.get(0).startLine());
    assertEquals(3, chunks.get(0).endLine());
    assertEquals(5, chunks.get(1).startLine());
  }

  @Test
  void longParagraphIsCutAtSentencesWithWholeSentenceOverlap() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      sb.append("Sentence number ").append(i).append(" has six words. ");
    }
    String text = sb.toString().strip();
    List<Block> blocks = new PlainTextExtractor(false).extract("t.txt", text.getBytes(StandardCharsets.UTF_8)).blocks();
    // 24 words a chunk fit four 6-word sentences; 8 words of overlap repeat the last sentence (6 words).
    List<Chunk> chunks = new Chunker(new ChunkingOptions(24, 8), TokenCounter.WORDS).chunk(blocks);
    assertTrue(chunks.get(0).text().endsWith("number 3 has six words."), chunks.get(0).text());
    assertTrue(chunks.get(1).text().startsWith("Sentence number 3 has"), chunks.get(1).text());
    for (Chunk c : chunks) {
      assertTrue(c.tokens() <= 24, c.tokens() + " tokens: " + c.text());
      assertEquals(c.text(), text.substring(c.startOffset(), c.endOffset()));
    }
    assertTrue(chunks.get(chunks.size() - 1).text().endsWith("number 9 has six words."));
  }

  @Test
  void sentenceLongerThanAChunkIsCutAtWords() throws Exception {
    String text = "w ".repeat(100).strip();
    List<Block> blocks = new PlainTextExtractor(false).extract("t.txt", text.getBytes(StandardCharsets.UTF_8)).blocks();
    List<Chunk> chunks = new Chunker(new ChunkingOptions(16, 0), TokenCounter.WORDS).chunk(blocks);
    assertEquals(100, chunks.stream().mapToInt(Chunk::tokens).sum());
    assertTrue(chunks.stream().allMatch(c -> c.tokens() <= 16));
  }

  @Test
  void codeIsCutAtLines() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 12; i++) {
      sb.append("int v").append(i).append(" = ").append(i).append(";\n");
    }
    List<Block> blocks = new PlainTextExtractor(true).extract("A.java", sb.toString().getBytes(StandardCharsets.UTF_8)).blocks();
    List<Chunk> chunks = new Chunker(new ChunkingOptions(16, 0), TokenCounter.WORDS).chunk(blocks);
    assertEquals(3, chunks.size()); // 4 words a line, 4 lines a chunk
    assertEquals("int v1 = 1;\nint v2 = 2;\nint v3 = 3;\nint v4 = 4;", chunks.get(0).text());
    assertEquals(5, chunks.get(1).startLine());
    assertEquals(8, chunks.get(1).endLine());
  }

  @Test
  void recordsNeverShareAChunk() {
    List<Block> blocks = List.of(
        Block.derived(Block.Kind.TEXT, 0, "first record", 1, 1).withRecord("a", java.util.Map.of("lang", "en")),
        Block.derived(Block.Kind.TEXT, 0, "second record", 2, 2).withRecord("b", java.util.Map.of("lang", "de")));
    List<Chunk> chunks = new Chunker(new ChunkingOptions(64, 0), TokenCounter.WORDS).chunk(blocks);
    assertEquals(2, chunks.size());
    assertEquals("a", chunks.get(0).record());
    assertEquals("de", chunks.get(1).metadata().get("lang"));
  }

  @Test
  void sizeIsCappedToWhatTheModelReads() {
    assertEquals(126, new ChunkingOptions(256, 32).fitTo(126).maxTokens());
    assertEquals(200, new ChunkingOptions(200, 32).fitTo(254).maxTokens());
  }
}

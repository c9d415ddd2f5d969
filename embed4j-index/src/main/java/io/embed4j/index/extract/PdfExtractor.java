package io.embed4j.index.extract;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * PDF through Apache PDFBox: text page by page, cut into paragraphs. Each block carries its page,
 * and its lines count within that page's extracted text. Encrypted, broken or image-only PDFs give
 * an {@link Extractor.Unreadable} or a note, never a failed run.
 */
public final class PdfExtractor implements Extractor {
  @Override
  public String format() {
    return "pdf";
  }

  @Override
  public Extracted extract(String fileName, byte[] content) throws IOException {
    try (PDDocument doc = Loader.loadPDF(content)) {
      PDFTextStripper stripper = new PDFTextStripper();
      stripper.setLineSeparator("\n");
      stripper.setParagraphEnd("\n");
      List<Block> blocks = new ArrayList<>();
      for (int p = 1; p <= doc.getNumberOfPages(); p++) {
        stripper.setStartPage(p);
        stripper.setEndPage(p);
        String text = stripper.getText(doc);
        for (Block b : PlainTextExtractor.paragraphs(text, Block.Kind.TEXT)) {
          // Offsets into a page's extracted text mean nothing in the file: keep lines and page only.
          blocks.add(Block.derived(Block.Kind.TEXT, 0, b.text(), b.startLine(), b.endLine()).withPage(p));
        }
      }
      String title = doc.getDocumentInformation().getTitle();
      Map<String, String> metadata = title == null || title.isBlank() ? Map.of() : Map.of("title", title.strip());
      List<String> notes = blocks.isEmpty() ? List.of("no extractable text (scanned pages?)") : List.of();
      return new Extracted(format(), blocks, metadata, notes);
    } catch (InvalidPasswordException e) {
      throw new Unreadable("encrypted PDF (password needed)", e);
    } catch (IOException e) {
      throw new Unreadable("unreadable PDF: " + e.getMessage(), e);
    }
  }
}

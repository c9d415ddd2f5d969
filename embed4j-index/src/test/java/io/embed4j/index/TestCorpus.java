package io.embed4j.index;

import io.embed4j.EmbeddingModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * A small folder of mixed files with known answers. Each document is about one thing, and the IT
 * page about changing credentials never says "reset", "password" or "policy".
 */
public final class TestCorpus {
  /** Files that hold text: markdown, text, HTML, PDF, JSONL and code. */
  public static final int TEXT_FILES = 9;
  /** Files that must be skipped: an image and a binary blob. */
  public static final int BINARY_FILES = 2;

  private TestCorpus() {}

  /** Loads the test model once per JVM; tests share it through {@link SemanticIndex.ModelLoader#sharing}. */
  public static final class Models {
    private static final EmbeddingModel MINILM = EmbeddingModel.load("all-MiniLM-L6-v2");

    private Models() {}

    public static EmbeddingModel minilm() {
      return MINILM;
    }

    public static SemanticIndex.ModelLoader loader() {
      return SemanticIndex.ModelLoader.sharing(Map.of("all-MiniLM-L6-v2", MINILM));
    }
  }

  public static void write(Path dir) throws Exception {
    write(dir, "it/accounts.md", """
        # IT handbook

        ## Changing your login credentials

        Staff must pick a new sign-in secret every 90 days. If you forgot yours, the help desk issues a
        temporary one after checking your identity. Secrets need twelve characters and a symbol.

        ## Laptops

        Laptops are replaced every four years. Bring the old one to the help desk.
        """);
    write(dir, "kitchen/pizza.md", """
        # Pizza dough

        Mix flour, water, salt and yeast. Knead for ten minutes and let the dough rise overnight in the
        fridge. Bake on a hot stone at the highest oven temperature.
        """);
    write(dir, "kitchen/soup.txt", """
        Tomato soup

        Roast tomatoes with garlic and onions, then blend them with stock and a little cream.
        """);
    write(dir, "travel.txt", """
        Travel expenses

        Book flights through the travel portal. Keep every receipt; expenses are refunded within a month.
        """);
    write(dir, "support/troubleshooting.txt", """
        Storage errors

        When the client reports ERR_QUOTA_7731 the account ran out of storage. Archive old projects or
        ask for more space.
        """);
    write(dir, "garden.html", """
        <html><head><title>Garden notes</title></head>
        <body>
        <h1>Growing vegetables</h1>
        <p>Water tomato plants deeply twice a week and tie them to stakes as they grow.</p>
        <p>Carrots prefer loose, sandy soil.</p>
        </body></html>
        """);
    Files.write(dir.resolve("energy.pdf"), pdf("Solar panels on the roof turn sunlight into electricity for the house."));
    write(dir, "notes.jsonl", """
        {"_id": "n1", "title": "Bicycle repair", "text": "Patch an inner tube by roughening the rubber and applying glue.", "lang": "en"}
        {"_id": "n2", "title": "Fahrrad", "text": "Einen Schlauch flicken: Gummi anrauen und Kleber auftragen.", "lang": "de"}
        """);
    write(dir, "src/Invoice.java", """
        /** Sums invoice lines. */
        public final class Invoice {
          static long computeInvoiceTotal(long[] lineCents) {
            long total = 0;
            for (long c : lineCents) {
              total += c;
            }
            return total;
          }
        }
        """);
    Files.write(dir.resolve("photo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, 3});
    Files.write(dir.resolve("blob.dat"), new byte[] {1, 2, 0, 0, 3, 4});
  }

  static void write(Path dir, String relative, String text) throws IOException {
    Path p = dir.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }

  /** A PDF with one line of Helvetica text per page. */
  public static byte[] pdf(String... pages) throws Exception {
    try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      for (String text : pages) {
        PDPage page = new PDPage();
        doc.addPage(page);
        try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
          cs.beginText();
          cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
          cs.newLineAtOffset(72, 700);
          cs.showText(text);
          cs.endText();
        }
      }
      doc.save(out);
      return out.toByteArray();
    }
  }

}

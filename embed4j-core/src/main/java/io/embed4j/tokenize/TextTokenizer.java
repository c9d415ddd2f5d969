package io.embed4j.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.Embed4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} tokenizer (through DJL's Rust bindings). It never truncates
 * or pads: callers see full lengths and truncate or window themselves, for any tokenizer, using the
 * special-token prefix and suffix found once from the empty text.
 */
public final class TextTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final int prefixLength;
  private final int suffixLength;
  private final int vocabSize;

  /**
   * One token of a text, as Hugging Face's tokenizers report it.
   *
   * @param id token id
   * @param text the token's piece of the input, or the token string for special tokens
   * @param special whether the tokenizer added it (e.g. [CLS])
   * @param start first code point of the piece in the input (as Python indexes strings), or -1 for special tokens
   * @param stop one past the piece's last code point, or -1 for special tokens
   */
  public record Token(long id, String text, boolean special, int start, int stop) {}

  private TextTokenizer(HuggingFaceTokenizer tokenizer, int vocabSize) {
    this.tokenizer = tokenizer;
    this.vocabSize = vocabSize;
    // Find where the plain encoding of a probe text sits inside the encoding with special tokens:
    // what comes before is the special prefix, what comes after the suffix.
    long[] probe = tokenizer.encode("a", true, false).getIds();
    long[] plain = tokenizer.encode("a", false, false).getIds();
    int at = indexOf(probe, plain);
    if (at < 0) {
      at = 0;
      plain = new long[0];
    }
    this.prefixLength = at;
    this.suffixLength = probe.length - at - plain.length;
  }

  private static int indexOf(long[] haystack, long[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  public static TextTokenizer load(Path tokenizerJson) {
    if (!Files.isRegularFile(tokenizerJson)) {
      throw new Embed4jException.InvalidModel("tokenizer file not found: " + tokenizerJson);
    }
    try {
      HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
          "addSpecialTokens", "true",
          "truncation", "false",
          "padding", "false",
          "modelMaxLength", "1000000"));
      return new TextTokenizer(t, vocabSize(tokenizerJson));
    } catch (IOException | RuntimeException e) {
      throw new Embed4jException.InvalidModel("cannot load tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
    }
  }

  // The largest id the model vocabulary and the added tokens use, plus one; the Rust bindings do
  // not expose it, and decoding silently drops unknown ids, so raw id inputs are checked against it.
  private static int vocabSize(Path tokenizerJson) throws IOException {
    JsonNode root = new ObjectMapper().readTree(tokenizerJson.toFile());
    long max = -1;
    JsonNode vocab = root.path("model").path("vocab");
    if (vocab.isObject()) {
      for (JsonNode id : (Iterable<JsonNode>) vocab::elements) {
        max = Math.max(max, id.asLong(-1));
      }
    } else if (vocab.isArray()) {
      max = vocab.size() - 1; // Unigram: a list of [piece, score], ids by position
    }
    for (JsonNode added : root.path("added_tokens")) {
      max = Math.max(max, added.path("id").asLong(-1));
    }
    return (int) Math.min(Integer.MAX_VALUE, max + 1);
  }

  /** Number of token ids the tokenizer knows: valid ids are {@code 0 .. vocabSize() - 1}. */
  public int vocabSize() {
    return vocabSize;
  }

  public int prefixLength() {
    return prefixLength;
  }

  public int suffixLength() {
    return suffixLength;
  }

  public TokenizedText tokenize(String text) {
    Encoding e = tokenizer.encode(text);
    return new TokenizedText(e.getIds(), e.getTypeIds(), prefixLength, suffixLength);
  }

  /** Tokenizes many texts at once; the Rust side works on them in parallel. */
  public TokenizedText[] tokenize(List<String> texts) {
    if (texts.isEmpty()) {
      return new TokenizedText[0];
    }
    Encoding[] encodings = tokenizer.batchEncode(texts);
    TokenizedText[] out = new TokenizedText[encodings.length];
    for (int i = 0; i < encodings.length; i++) {
      out[i] = new TokenizedText(encodings[i].getIds(), encodings[i].getTypeIds(), prefixLength, suffixLength);
    }
    return out;
  }

  /** Token strings, special tokens included. */
  public List<String> tokens(String text) {
    return Arrays.asList(tokenizer.encode(text).getTokens());
  }

  /** Tokens with their ids, special flags and char offsets into {@code text}. */
  public List<Token> tokenDetails(String text, boolean addSpecialTokens) {
    Encoding e = tokenizer.encode(text, addSpecialTokens, false);
    long[] ids = e.getIds();
    String[] pieces = e.getTokens();
    long[] special = e.getSpecialTokenMask();
    CharSpan[] spans = e.getCharTokenSpans();
    List<Token> out = new ArrayList<>(ids.length);
    int codePoints = text.codePointCount(0, text.length());
    for (int i = 0; i < ids.length; i++) {
      CharSpan span = spans == null || i >= spans.length ? null : spans[i];
      boolean isSpecial = special != null && i < special.length && special[i] == 1;
      if (isSpecial || span == null || span.getStart() < 0 || span.getEnd() > codePoints || span.getStart() > span.getEnd()) {
        out.add(new Token(ids[i], pieces[i], isSpecial, -1, -1));
      } else {
        // The Rust side counts code points; Java strings index UTF-16 units.
        int from = text.offsetByCodePoints(0, span.getStart());
        int to = text.offsetByCodePoints(from, span.getEnd() - span.getStart());
        out.add(new Token(ids[i], text.substring(from, to), false, span.getStart(), span.getEnd()));
      }
    }
    return out;
  }

  /** Number of content tokens (special tokens excluded). */
  public int countContentTokens(String text) {
    return tokenizer.encode(text, false, false).getIds().length;
  }

  public String decode(long[] ids, boolean skipSpecialTokens) {
    return tokenizer.decode(ids, skipSpecialTokens);
  }

  /** Token ids of each text without special tokens and untruncated: the pieces a pair is built from. */
  public long[][] contentIds(List<String> texts) {
    if (texts.isEmpty()) {
      return new long[0][];
    }
    Encoding[] encodings = tokenizer.batchEncode(texts, false, false);
    long[][] out = new long[encodings.length][];
    for (int i = 0; i < encodings.length; i++) {
      out[i] = encodings[i].getIds();
    }
    return out;
  }

  /**
   * A text pair as the tokenizer's own pair template encodes it, special tokens and token types
   * included, untruncated; {@link PairTokenizer} assembles the same from {@link #contentIds}.
   */
  public TokenizedText tokenizePair(String first, String second) {
    Encoding e = tokenizer.encode(first, second, true, false);
    return new TokenizedText(e.getIds(), e.getTypeIds(), prefixLength, suffixLength);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}

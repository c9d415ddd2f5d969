package io.embed4j.index.extract;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding with a binary check, shared by the text formats. */
final class TextDecoding {
  private static final int SNIFF = 8192;

  private TextDecoding() {}

  /** True when the first 8 KiB hold a NUL byte: the test git and grep use for binary files. */
  static boolean looksBinary(byte[] content) {
    int n = Math.min(content.length, SNIFF);
    for (int i = 0; i < n; i++) {
      if (content[i] == 0) {
        return true;
      }
    }
    return false;
  }

  /** The content as UTF-8 text (a BOM dropped), or {@link Extractor.Unreadable} for binary or non-UTF-8 bytes. */
  static String utf8(String fileName, byte[] content) throws Extractor.Unreadable {
    if (looksBinary(content)) {
      throw new Extractor.Unreadable("binary content (NUL bytes)");
    }
    try {
      String s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content)).toString();
      return s.startsWith("\uFEFF") ? s.substring(1) : s;
    } catch (CharacterCodingException e) {
      throw new Extractor.Unreadable("not valid UTF-8 text");
    }
  }
}

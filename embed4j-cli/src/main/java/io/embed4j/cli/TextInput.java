package io.embed4j.cli;

import io.embed4j.Embed4jException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads texts, one per line, as strict UTF-8: an invalid byte sequence is an error naming the
 * line, never a silent replacement character. An empty line is a valid (empty) text.
 */
public final class TextInput implements AutoCloseable {
  private final InputStream in;
  private final String name;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
  private final byte[] buffer = new byte[1 << 16];
  private int bufferPos;
  private int bufferLen;
  private long lineNumber;
  private boolean eof;
  private java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(256);

  private TextInput(InputStream in, String name) {
    this.in = in;
    this.name = name;
  }

  /** Opens a file, or standard input for "-". */
  public static TextInput open(String path) {
    if (path.equals("-")) {
      return new TextInput(System.in, "standard input");
    }
    Path p = Path.of(path);
    try {
      if (Files.isDirectory(p)) {
        throw new Embed4jException.InvalidInput(path + ": is a directory, expected a text file with one text per line");
      }
      return new TextInput(Files.newInputStream(p), path);
    } catch (NoSuchFileException e) {
      throw new Embed4jException.InvalidInput(path + ": no such file");
    } catch (IOException e) {
      throw new Embed4jException.InvalidInput(path + ": cannot read: " + e.getMessage());
    }
  }

  public String name() {
    return name;
  }

  /** Up to {@code max} next lines; an empty list at the end. A final line without newline counts. */
  public List<String> next(int max) {
    List<String> out = new ArrayList<>();
    while (out.size() < max) {
      String s = readLine();
      if (s == null) {
        break;
      }
      out.add(s);
    }
    return out;
  }

  public long linesRead() {
    return lineNumber;
  }

  private String readLine() {
    if (eof) {
      return null;
    }
    line.reset();
    try {
      while (true) {
        if (bufferPos == bufferLen) {
          bufferLen = in.read(buffer);
          bufferPos = 0;
          if (bufferLen <= 0) {
            eof = true;
            if (line.size() == 0) {
              return null;
            }
            return decode();
          }
        }
        int start = bufferPos;
        while (bufferPos < bufferLen && buffer[bufferPos] != '\n') {
          bufferPos++;
        }
        line.write(buffer, start, bufferPos - start);
        if (bufferPos < bufferLen) {
          bufferPos++; // the newline
          return decode();
        }
      }
    } catch (IOException e) {
      throw new Embed4jException.InvalidInput(name + ": read failed at line " + (lineNumber + 1) + ": " + e.getMessage());
    }
  }

  private String decode() {
    lineNumber++;
    byte[] bytes = line.toByteArray();
    int len = bytes.length;
    if (len > 0 && bytes[len - 1] == '\r') {
      len--;
    }
    try {
      CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(bytes, 0, len));
      String s = chars.toString();
      if (lineNumber == 1 && s.startsWith("\uFEFF")) {
        s = s.substring(1);
      }
      return s;
    } catch (CharacterCodingException e) {
      throw new Embed4jException.InvalidInput(name + ": line " + lineNumber + " is not valid UTF-8");
    }
  }

  @Override
  public void close() {
    try {
      if (in != System.in) {
        in.close();
      }
    } catch (IOException e) {
      // nothing to lose on close of an input
    }
  }
}

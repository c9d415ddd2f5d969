package io.embed4j.eval.data;

import io.embed4j.Embed4jException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a data file as strict UTF-8 lines, with a trailing CR dropped from each (CRLF files are
 * common in BEIR). Errors name the file; callers add line numbers.
 */
final class TextLines {
  private TextLines() {}

  /** All lines of {@code file}; line {@code i} of the list is line {@code i + 1} of the file. */
  static List<String> read(Path file) {
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    List<String> lines = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder), 1 << 16)) {
      for (String line; (line = in.readLine()) != null; ) {
        lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
      }
    } catch (NoSuchFileException e) {
      throw new Embed4jException.InvalidInput(file + ": no such file");
    } catch (CharacterCodingException e) {
      throw new Embed4jException.InvalidInput(file + ": not valid UTF-8 (after line " + lines.size() + ")");
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
    return lines;
  }
}

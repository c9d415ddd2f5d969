package io.embed4j.train.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.Embed4jException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a JSONL file one value at a time, skipping blank lines, as {@link BeirData} and
 * {@link TrainingData} read theirs. Every failure is an {@link Embed4jException.InvalidInput} that
 * names the file, and the line where there is one.
 *
 * <pre>{@code
 * try (JsonLines lines = JsonLines.open(file)) {
 *   for (JsonNode node; (node = lines.next()) != null; ) { ... lines.lineNumber() ... }
 * }
 * }</pre>
 */
final class JsonLines implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final BufferedReader reader;
  private int lineNumber;

  private JsonLines(Path file, BufferedReader reader) {
    this.file = file;
    this.reader = reader;
  }

  static JsonLines open(Path file) {
    try {
      return new JsonLines(file, Files.newBufferedReader(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw cannotRead(file, e);
    }
  }

  /** The next non-blank line as JSON, or {@code null} at the end of the file. */
  JsonNode next() {
    String line;
    try {
      do {
        line = reader.readLine();
        if (line == null) {
          return null;
        }
        lineNumber++;
      } while (line.isBlank());
    } catch (IOException e) {
      throw cannotRead(file, e);
    }
    try {
      return JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new Embed4jException.InvalidInput(file + " line " + lineNumber + ": not JSON: " + e.getOriginalMessage());
    }
  }

  /** The 1-based line of the value {@link #next} returned last, counting blank lines. */
  int lineNumber() {
    return lineNumber;
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw cannotRead(file, e);
    }
  }

  private static Embed4jException.InvalidInput cannotRead(Path file, IOException e) {
    return new Embed4jException.InvalidInput("cannot read " + file + ": " + e.getMessage(), e);
  }
}

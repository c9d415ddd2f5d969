package io.embed4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {
  @TempDir Path dir;

  private static final Map<String, float[]> VECTORS = Map.of("x", new float[] {1, 2, 3}, "y", new float[] {-1, 0, 0.5f});

  @Test
  void secondEncodeOfTheSameTextsIsReadBackExactly() {
    FakeEncoder inner = new FakeEncoder(VECTORS);
    CachingEncoder enc = new CachingEncoder(inner, new EmbeddingCache(dir));
    TextEncoder.Encoded first = enc.encode(List.of("x", "y"), TextEncoder.Role.DOCUMENT);
    TextEncoder.Encoded second = enc.encode(List.of("x", "y"), TextEncoder.Role.DOCUMENT);
    assertFalse(first.cached());
    assertTrue(second.cached());
    assertEquals(2, inner.encodedTexts, "the model ran once");
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(first.vectors()[i], second.vectors()[i]);
    }
    assertEquals(first.stats(), second.stats(), "the original encode's statistics are kept");
  }

  @Test
  void anyChangeToTextsOrFingerprintMissesTheCache() {
    String k = EmbeddingCache.key("model A\nprompt: \"\"\n", List.of("x", "y"));
    assertNotEquals(k, EmbeddingCache.key("model B\nprompt: \"\"\n", List.of("x", "y")), "model");
    assertNotEquals(k, EmbeddingCache.key("model A\nprompt: \"query: \"\n", List.of("x", "y")), "prompt");
    assertNotEquals(k, EmbeddingCache.key("model A\nprompt: \"\"\n", List.of("y", "x")), "order");
    assertNotEquals(EmbeddingCache.key("f", List.of("ab", "c")), EmbeddingCache.key("f", List.of("a", "bc")), "boundaries");

    FakeEncoder inner = new FakeEncoder(VECTORS);
    CachingEncoder enc = new CachingEncoder(inner, new EmbeddingCache(dir));
    enc.encode(List.of("x"), TextEncoder.Role.QUERY);
    enc.encode(List.of("x"), TextEncoder.Role.DOCUMENT); // the fake's fingerprint differs by role
    enc.encode(List.of("y"), TextEncoder.Role.QUERY);
    assertEquals(3, inner.encodedTexts);
  }

  @Test
  void corruptFileIsAMissAndIsRewritten() throws IOException {
    FakeEncoder inner = new FakeEncoder(VECTORS);
    EmbeddingCache cache = new EmbeddingCache(dir);
    CachingEncoder enc = new CachingEncoder(inner, cache);
    enc.encode(List.of("x"), TextEncoder.Role.QUERY);
    String key = EmbeddingCache.key(inner.fingerprint(TextEncoder.Role.QUERY), List.of("x"));
    Path file = dir.resolve(key + ".vec");
    Files.write(file, new byte[] {1, 2, 3});
    assertNull(cache.get(key));
    assertFalse(enc.encode(List.of("x"), TextEncoder.Role.QUERY).cached());
    assertTrue(enc.encode(List.of("x"), TextEncoder.Role.QUERY).cached());
    assertTrue(Files.readString(dir.resolve(key + ".txt")).contains("role: QUERY"));
  }
}

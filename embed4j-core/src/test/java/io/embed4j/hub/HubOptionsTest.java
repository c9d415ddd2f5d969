package io.embed4j.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.embed4j.Embed4jException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HubOptions#fromEnvironment} reads what huggingface_hub reads, so both find the same cache and login. */
class HubOptionsTest {
  private static final UnaryOperator<String> NO_PROPERTIES = k -> k.equals("user.home") ? "/home/u" : k.equals("embed4j.tty") ? "false" : null;

  private static HubOptions env(Map<String, String> env) {
    return HubOptions.fromEnvironment(env, NO_PROPERTIES);
  }

  @Test
  void cacheFollowsHfHubCacheThenHfHomeThenXdgThenHome() {
    assertEquals(Path.of("/home/u/.cache/huggingface/hub"), env(Map.of()).cacheDir());
    assertEquals(Path.of("/xdg/huggingface/hub"), env(Map.of("XDG_CACHE_HOME", "/xdg")).cacheDir());
    assertEquals(Path.of("/hf/hub"), env(Map.of("XDG_CACHE_HOME", "/xdg", "HF_HOME", "/hf")).cacheDir());
    assertEquals(Path.of("/cache"), env(Map.of("HF_HOME", "/hf", "HF_HUB_CACHE", "/cache")).cacheDir());
    assertEquals(Path.of("/home/u/models"), env(Map.of("HF_HUB_CACHE", "~/models")).cacheDir());
    UnaryOperator<String> props = k -> k.equals("embed4j.hf.cache") ? "/prop" : NO_PROPERTIES.apply(k);
    assertEquals(Path.of("/prop"), HubOptions.fromEnvironment(Map.of("HF_HUB_CACHE", "/cache"), props).cacheDir());
  }

  @Test
  void endpointDefaultsToHuggingFaceAndDropsATrailingSlash() {
    assertEquals(URI.create("https://huggingface.co"), env(Map.of()).endpoint());
    assertEquals(URI.create("https://hf-mirror.example/base"), env(Map.of("HF_ENDPOINT", "https://hf-mirror.example/base/")).endpoint());
    var e = assertThrows(Embed4jException.InvalidInput.class, () -> env(Map.of("HF_ENDPOINT", "ftp://example.org")));
    assertTrue(e.getMessage().contains("ftp://example.org"), e.getMessage());
  }

  @Test
  void tokenComesFromHfTokenThenTheLoginFile(@TempDir Path home) throws IOException {
    assertEquals("hf_a", env(Map.of("HF_TOKEN", "hf_a", "HF_HUB_TOKEN", "hf_b")).token());
    assertEquals("hf_b", env(Map.of("HF_HUB_TOKEN", "hf_b", "HF_HOME", home.toString())).token());
    assertNull(env(Map.of("HF_HOME", home.toString())).token());
    Files.writeString(home.resolve("token"), "hf_from_login\n");
    assertEquals("hf_from_login", env(Map.of("HF_HOME", home.toString())).token());
    Path custom = Files.writeString(home.resolve("other-token"), "hf_custom");
    assertEquals("hf_custom", env(Map.of("HF_HOME", home.toString(), "HF_TOKEN_PATH", custom.toString())).token());
  }

  @Test
  void offlineAcceptsHuggingFaceTruthyValues() {
    for (String yes : new String[] {"1", "true", "TRUE", "yes", "on"}) {
      assertTrue(env(Map.of("HF_HUB_OFFLINE", yes)).offline(), yes);
    }
    for (String no : new String[] {"0", "false", "", "no"}) {
      assertFalse(env(Map.of("HF_HUB_OFFLINE", no)).offline(), no);
    }
    UnaryOperator<String> props = k -> k.equals("embed4j.hf.offline") ? "true" : NO_PROPERTIES.apply(k);
    assertTrue(HubOptions.fromEnvironment(Map.of(), props).offline());
  }

  @Test
  void progressIsOffWithoutATerminalAndWhenDisabled() {
    assertFalse(env(Map.of()).progress());
    UnaryOperator<String> tty = k -> k.equals("embed4j.tty") ? "true" : NO_PROPERTIES.apply(k);
    assertTrue(HubOptions.fromEnvironment(Map.of(), tty).progress());
    assertFalse(HubOptions.fromEnvironment(Map.of("HF_HUB_DISABLE_PROGRESS_BARS", "1"), tty).progress());
  }

  @Test
  void timeoutsAreSecondsAndBadValuesNameTheVariable() {
    assertEquals(Duration.ofMillis(2500), env(Map.of("HF_HUB_DOWNLOAD_TIMEOUT", "2.5")).readTimeout());
    assertEquals(Duration.ofSeconds(30), env(Map.of("HF_HUB_ETAG_TIMEOUT", "30")).timeout());
    var e = assertThrows(Embed4jException.InvalidInput.class, () -> env(Map.of("HF_HUB_DOWNLOAD_TIMEOUT", "soon")));
    assertTrue(e.getMessage().contains("HF_HUB_DOWNLOAD_TIMEOUT") && e.getMessage().contains("'soon'"), e.getMessage());
  }

  @Test
  void toStringNeverShowsTheToken() {
    HubOptions o = HubOptions.of(URI.create("https://huggingface.co"), Path.of("/c")).withToken("hf_secret");
    assertFalse(o.toString().contains("hf_secret"), o.toString());
    assertTrue(o.toString().contains("token=set"), o.toString());
  }

  @Test
  void tokenWithLineBreaksIsRefused() {
    var e = assertThrows(Embed4jException.InvalidInput.class,
        () -> HubOptions.of(URI.create("https://huggingface.co"), Path.of("/c")).withToken("hf_a\r\nX-Evil: 1"));
    assertFalse(e.getMessage().contains("hf_a"), e.getMessage());
  }
}

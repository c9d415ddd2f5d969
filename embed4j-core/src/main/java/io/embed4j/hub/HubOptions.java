package io.embed4j.hub;

import io.embed4j.Embed4jException;
import java.io.Console;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * How {@link HubClient} reaches the Hugging Face Hub and where it keeps files. {@link
 * #fromEnvironment()} reads the variables huggingface_hub reads, so Python and embed4j share one
 * cache and one login; {@code embed4j.hf.*} system properties override them.
 *
 * @param endpoint the Hub's base URL ({@code HF_ENDPOINT}), without a trailing slash
 * @param cacheDir the hub cache holding {@code models--org--name} folders ({@code HF_HUB_CACHE})
 * @param token a read token, sent as {@code Authorization: Bearer} to the endpoint's host only; null for none
 * @param offline no network at all: answer from the cache or fail ({@code HF_HUB_OFFLINE})
 * @param progress draw a progress bar on stderr while big files download
 * @param timeout for connecting and for each response's headers ({@code HF_HUB_ETAG_TIMEOUT})
 * @param readTimeout the longest silence while a file's bytes arrive before the transfer is retried
 *     ({@code HF_HUB_DOWNLOAD_TIMEOUT})
 * @param maxAttempts tries per file; a retried transfer resumes where the last one stopped
 */
public record HubOptions(URI endpoint, Path cacheDir, String token, boolean offline, boolean progress,
    Duration timeout, Duration readTimeout, int maxAttempts) {

  public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final int DEFAULT_ATTEMPTS = 3;
  private static final Set<String> TRUE = Set.of("1", "on", "yes", "true");

  public HubOptions {
    if (endpoint == null || endpoint.getHost() == null
        || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
      throw new Embed4jException.InvalidInput("Hub endpoint must be an http(s) URL such as " + DEFAULT_ENDPOINT + ", got '" + endpoint + "'");
    }
    String e = endpoint.toString();
    if (e.endsWith("/")) {
      endpoint = URI.create(e.replaceAll("/+$", ""));
    }
    if (cacheDir == null) {
      throw new Embed4jException.InvalidInput("Hub cache directory is missing");
    }
    if (token != null && token.isBlank()) {
      token = null;
    }
    if (token != null) {
      token = token.strip();
      if (token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new Embed4jException.InvalidInput("Hub token contains spaces or non-ASCII characters; check HF_TOKEN");
      }
    }
    checkPositive("timeout", timeout);
    checkPositive("readTimeout", readTimeout);
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new Embed4jException.InvalidInput("Hub maxAttempts must be in [1, 100], got " + maxAttempts);
    }
  }

  private static void checkPositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new Embed4jException.InvalidInput("Hub " + name + " must be a positive duration, got " + d);
    }
  }

  /** Online, no token, no progress bar, 10 s timeouts, 3 attempts per file. */
  public static HubOptions of(URI endpoint, Path cacheDir) {
    return new HubOptions(endpoint, cacheDir, null, false, false, DEFAULT_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_ATTEMPTS);
  }

  /**
   * Options from the environment, as huggingface_hub reads it:
   *
   * <ul>
   *   <li>endpoint: {@code -Dembed4j.hf.endpoint}, {@code HF_ENDPOINT}, else https://huggingface.co
   *   <li>cache: {@code -Dembed4j.hf.cache}, {@code HF_HUB_CACHE}, {@code HF_HOME/hub}, {@code
   *       XDG_CACHE_HOME/huggingface/hub}, else {@code ~/.cache/huggingface/hub}
   *   <li>token: {@code HF_TOKEN}, {@code HF_HUB_TOKEN}, else the file {@code huggingface-cli login}
   *       writes ({@code HF_TOKEN_PATH}, else {@code HF_HOME/token})
   *   <li>offline: {@code -Dembed4j.hf.offline}, {@code HF_HUB_OFFLINE} (1, true, yes, on)
   *   <li>progress: {@code -Dembed4j.hf.progress}; off with {@code HF_HUB_DISABLE_PROGRESS_BARS};
   *       else on when stderr is a terminal ({@code -Dembed4j.tty}, else a console is attached)
   *   <li>timeouts: {@code HF_HUB_ETAG_TIMEOUT}, {@code HF_HUB_DOWNLOAD_TIMEOUT} (seconds, default 10)
   * </ul>
   */
  public static HubOptions fromEnvironment() {
    return fromEnvironment(System.getenv(), System::getProperty);
  }

  static HubOptions fromEnvironment(Map<String, String> env, UnaryOperator<String> properties) {
    String endpoint = firstSet(properties.apply("embed4j.hf.endpoint"), env.get("HF_ENDPOINT"));
    URI uri;
    try {
      uri = endpoint == null ? DEFAULT_ENDPOINT : URI.create(endpoint.strip());
    } catch (IllegalArgumentException e) {
      throw new Embed4jException.InvalidInput("HF_ENDPOINT is not a URL: '" + endpoint + "'");
    }
    String home = properties.apply("user.home");
    String xdg = firstSet(env.get("XDG_CACHE_HOME"), home + "/.cache");
    Path hfHome = expand(firstSet(env.get("HF_HOME"), xdg + "/huggingface"), home);
    String cacheSetting = firstSet(properties.apply("embed4j.hf.cache"), env.get("HF_HUB_CACHE"), env.get("HUGGINGFACE_HUB_CACHE"));
    Path cache = cacheSetting != null ? expand(cacheSetting, home) : hfHome.resolve("hub");

    String token = firstSet(env.get("HF_TOKEN"), env.get("HF_HUB_TOKEN"), env.get("HUGGING_FACE_HUB_TOKEN"));
    if (token == null) {
      String tokenPath = env.get("HF_TOKEN_PATH");
      token = readToken(tokenPath != null && !tokenPath.isBlank() ? expand(tokenPath, home) : hfHome.resolve("token"));
    }
    String offlineSetting = firstSet(properties.apply("embed4j.hf.offline"), env.get("HF_HUB_OFFLINE"), env.get("TRANSFORMERS_OFFLINE"));
    boolean offline = offlineSetting != null && TRUE.contains(offlineSetting.strip().toLowerCase(Locale.ROOT));

    String progressSetting = properties.apply("embed4j.hf.progress");
    boolean progress;
    if (progressSetting != null && !progressSetting.isBlank()) {
      progress = TRUE.contains(progressSetting.strip().toLowerCase(Locale.ROOT));
    } else if (env.get("HF_HUB_DISABLE_PROGRESS_BARS") != null
        && TRUE.contains(env.get("HF_HUB_DISABLE_PROGRESS_BARS").strip().toLowerCase(Locale.ROOT))) {
      progress = false;
    } else {
      String tty = properties.apply("embed4j.tty");
      progress = tty != null ? Boolean.parseBoolean(tty) : isTerminal(System.console());
    }
    return new HubOptions(uri, cache, token, offline, progress, seconds(env, "HF_HUB_ETAG_TIMEOUT"),
        seconds(env, "HF_HUB_DOWNLOAD_TIMEOUT"), DEFAULT_ATTEMPTS);
  }

  // From JDK 22 a Console may exist with redirected streams; isTerminal (22+) says whether it is a terminal.
  private static boolean isTerminal(Console console) {
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  private static Duration seconds(Map<String, String> env, String name) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return DEFAULT_TIMEOUT;
    }
    try {
      double s = Double.parseDouble(v.strip());
      if (!(s > 0)) {
        throw new NumberFormatException();
      }
      return Duration.ofMillis((long) Math.ceil(s * 1000));
    } catch (NumberFormatException e) {
      throw new Embed4jException.InvalidInput(name + " must be a positive number of seconds, got '" + v + "'");
    }
  }

  private static String readToken(Path file) {
    try {
      if (Files.isRegularFile(file)) {
        String t = Files.readString(file, StandardCharsets.UTF_8).strip();
        return t.isEmpty() ? null : t;
      }
    } catch (IOException e) {
      // An unreadable token file is treated as no login; a gated repo then says to set HF_TOKEN.
    }
    return null;
  }

  private static Path expand(String path, String home) {
    String p = path.strip();
    if (p.equals("~") || p.startsWith("~/")) {
      p = home + p.substring(1);
    }
    return Path.of(p);
  }

  private static String firstSet(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  public HubOptions withEndpoint(URI endpoint) {
    return new HubOptions(endpoint, cacheDir, token, offline, progress, timeout, readTimeout, maxAttempts);
  }

  public HubOptions withCacheDir(Path cacheDir) {
    return new HubOptions(endpoint, cacheDir, token, offline, progress, timeout, readTimeout, maxAttempts);
  }

  public HubOptions withToken(String token) {
    return new HubOptions(endpoint, cacheDir, token, offline, progress, timeout, readTimeout, maxAttempts);
  }

  public HubOptions withOffline(boolean offline) {
    return new HubOptions(endpoint, cacheDir, token, offline, progress, timeout, readTimeout, maxAttempts);
  }

  public HubOptions withProgress(boolean progress) {
    return new HubOptions(endpoint, cacheDir, token, offline, progress, timeout, readTimeout, maxAttempts);
  }

  public HubOptions withTimeouts(Duration timeout, Duration readTimeout) {
    return new HubOptions(endpoint, cacheDir, token, offline, progress, timeout, readTimeout, maxAttempts);
  }

  public HubOptions withMaxAttempts(int maxAttempts) {
    return new HubOptions(endpoint, cacheDir, token, offline, progress, timeout, readTimeout, maxAttempts);
  }

  /** Never prints the token, only whether there is one. */
  @Override
  public String toString() {
    return "HubOptions[endpoint=" + endpoint + ", cacheDir=" + cacheDir + ", token=" + (token == null ? "none" : "set")
        + ", offline=" + offline + ", progress=" + progress + ", timeout=" + timeout + ", readTimeout=" + readTimeout
        + ", maxAttempts=" + maxAttempts + "]";
  }
}

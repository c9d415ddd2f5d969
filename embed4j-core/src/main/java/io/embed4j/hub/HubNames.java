package io.embed4j.hub;

import io.embed4j.Embed4jException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks every name that becomes part of a cache path or a URL — repo ids, revisions, file names,
 * commit hashes, ETags — and percent-encodes URL path segments. A name that could climb out of its
 * directory ({@code ..}, an absolute path, a backslash, a drive letter, an empty segment) is refused
 * with a message naming it, wherever it came from: the caller, the server's file listing, modules.json.
 */
final class HubNames {
  private static final Pattern REPO_SEGMENT = Pattern.compile("[A-Za-z0-9_.-]{1,96}");
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern ETAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:");
  // Characters git forbids in ref names, plus whitespace: none can appear in a real revision.
  private static final Pattern REVISION_FORBIDDEN = Pattern.compile("[\\s~^:?*\\[]");

  private HubNames() {}

  /** {@code org/name} (or a bare legacy {@code name}) as the Hub accepts it; returns it unchanged. */
  static String checkRepoId(String repoId) {
    if (repoId == null || repoId.isBlank()) {
      throw new Embed4jException.InvalidInput("no Hub repo id given; expected org/name, e.g. sentence-transformers/all-MiniLM-L6-v2");
    }
    String[] parts = repoId.split("/", -1);
    boolean ok = parts.length <= 2 && !repoId.contains("--") && !repoId.contains("..") && !repoId.endsWith(".git");
    for (String part : parts) {
      ok &= REPO_SEGMENT.matcher(part).matches();
    }
    if (!ok) {
      throw new Embed4jException.InvalidInput("invalid Hub repo id '" + repoId + "': expected org/name made of letters, digits, '-', '_' and '.',"
          + " without '--' or '..'");
    }
    return repoId;
  }

  /** A branch, tag or commit; it names a file under refs/, so it obeys the file-name rules too. */
  static String checkRevision(String revision) {
    if (revision == null || revision.isBlank()) {
      throw new Embed4jException.InvalidInput("no Hub revision given; use a branch (main), a tag or a commit hash");
    }
    String problem = pathProblem(revision);
    if (problem == null && REVISION_FORBIDDEN.matcher(revision).find()) {
      problem = "it contains whitespace or one of ~ ^ : ? * [";
    }
    if (problem != null) {
      throw new Embed4jException.InvalidInput("invalid Hub revision '" + revision + "': " + problem);
    }
    return revision;
  }

  /**
   * A file name relative to the repository root, as the Hub lists it ({@code 1_Pooling/config.json}).
   *
   * @param source who named the file, for the message (e.g. "the Hub's file list of org/name")
   */
  static String checkRelativePath(String path, String source) {
    String problem = path == null ? "it is missing" : pathProblem(path);
    if (problem != null) {
      throw new Embed4jException.InvalidModel("refusing file name '" + path + "' from " + source + ": " + problem
          + "; a Hub file name must be a relative path inside the repository");
    }
    return path;
  }

  /** Why a relative path is unsafe, or null when it is safe. */
  private static String pathProblem(String path) {
    if (path.isEmpty()) {
      return "it is empty";
    }
    if (path.startsWith("/")) {
      return "it is an absolute path";
    }
    if (path.indexOf('\\') >= 0) {
      return "it contains a backslash";
    }
    if (DRIVE.matcher(path).find()) {
      return "it starts with a drive letter";
    }
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) < 0x20 || path.charAt(i) == 0x7f) {
        return "it contains a control character";
      }
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty()) {
        return "it has an empty path segment";
      }
      if (segment.equals("..") || segment.equals(".")) {
        return "it has a '" + segment + "' path segment";
      }
    }
    return null;
  }

  static boolean isCommitHash(String revision) {
    return COMMIT.matcher(revision).matches();
  }

  /** A commit hash the server sent; it names a snapshot directory, so it must be exactly 40 hex digits. */
  static String checkCommit(String commit, String source) {
    if (commit == null || !isCommitHash(commit)) {
      throw new Embed4jException.DownloadFailed(source + " gave '" + commit + "' as the commit, not a 40-digit hex hash;"
          + " is HF_ENDPOINT a Hugging Face Hub?");
    }
    return commit;
  }

  /** An ETag as huggingface_hub normalizes it: no {@code W/} prefix, no quotes. Null stays null. */
  static String normalizeEtag(String etag) {
    if (etag == null) {
      return null;
    }
    String e = etag.trim();
    if (e.startsWith("W/")) {
      e = e.substring(2);
    }
    if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
      e = e.substring(1, e.length() - 1);
    }
    return e;
  }

  /** A normalized ETag that names a blob file; refuses anything that is not a plain file name. */
  static String checkEtag(String etag, String file) {
    if (etag == null || etag.isEmpty()) {
      throw new Embed4jException.DownloadFailed("the server sent no ETag for " + file + "; is HF_ENDPOINT a Hugging Face Hub?");
    }
    if (!ETAG.matcher(etag).matches()) {
      throw new Embed4jException.DownloadFailed("the server sent ETag '" + etag + "' for " + file
          + ", which cannot name a cache file (expected a hash)");
    }
    return etag;
  }

  /** Whether an ETag is a SHA-256 (what the Hub sends for LFS files), so the bytes can be checked against it. */
  static boolean isSha256(String etag) {
    return SHA256.matcher(etag).matches();
  }

  /** {@code models--org--name}: the repository's folder in the cache. */
  static String repoFolder(String repoId) {
    return "models--" + repoId.replace("/", "--");
  }

  /** Percent-encodes everything except RFC 3986 unreserved characters ({@code /} included). */
  static String encodeSegment(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return sb.toString();
  }

  /** Percent-encodes each segment of a relative path, keeping the {@code /} between them. */
  static String encodePath(String path) {
    return Arrays.stream(path.split("/", -1)).map(HubNames::encodeSegment).collect(Collectors.joining("/"));
  }
}

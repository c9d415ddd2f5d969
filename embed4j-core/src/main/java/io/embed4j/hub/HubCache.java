package io.embed4j.hub;

import io.embed4j.Embed4jException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One repository's folder in the Hub cache, laid out as huggingface_hub lays it out so both share it:
 *
 * <pre>
 * {cache}/models--{org}--{name}/
 *   blobs/{etag}                 file contents, named by ETag (the SHA-256 for LFS files, the git blob hash otherwise)
 *   blobs/{etag}.incomplete      a download in progress; the next try resumes from its length
 *   snapshots/{commit}/{path}    relative symlink to ../../blobs/{etag} (a copy where links cannot be made)
 *   refs/{revision}              the commit a branch or tag pointed to when last fetched
 * {cache}/.locks/models--{org}--{name}/{etag}.lock   held while that blob downloads
 * </pre>
 */
final class HubCache {
  private static final Logger LOG = LoggerFactory.getLogger(HubCache.class);

  private final Path root;
  private final Path repoDir;
  private final String folder;

  HubCache(Path cacheDir, String repoId) {
    this.root = cacheDir.toAbsolutePath().normalize();
    this.folder = HubNames.repoFolder(repoId);
    this.repoDir = root.resolve(folder);
  }

  Path repoDir() {
    return repoDir;
  }

  Path snapshotDir(String commit) {
    return inside(repoDir.resolve("snapshots").resolve(commit));
  }

  Path snapshotFile(String commit, String path) {
    return inside(snapshotDir(commit).resolve(path));
  }

  Path blob(String etag) {
    return inside(repoDir.resolve("blobs").resolve(etag));
  }

  Path incomplete(String etag) {
    return inside(repoDir.resolve("blobs").resolve(etag + ".incomplete"));
  }

  // Second line of defence behind HubNames: a checked name can never resolve outside the repo folder.
  private Path inside(Path p) {
    Path n = p.normalize();
    if (!n.startsWith(repoDir)) {
      throw new Embed4jException.InvalidModel("refusing cache path " + p + ": it is outside " + repoDir);
    }
    return n;
  }

  /** The commit refs/{revision} records, if this revision was fetched before. */
  Optional<String> readRef(String revision) {
    Path ref = inside(repoDir.resolve("refs").resolve(revision));
    try {
      if (Files.isRegularFile(ref)) {
        String commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
        if (HubNames.isCommitHash(commit)) {
          return Optional.of(commit);
        }
        LOG.warn("ignoring {}: it does not hold a commit hash", ref);
      }
    } catch (IOException e) {
      LOG.warn("cannot read {}: {}", ref, e.toString());
    }
    return Optional.empty();
  }

  void writeRef(String revision, String commit) throws IOException {
    Path ref = inside(repoDir.resolve("refs").resolve(revision));
    if (commit.equals(readRef(revision).orElse(null))) {
      return;
    }
    Files.createDirectories(ref.getParent());
    Path tmp = Files.createTempFile(ref.getParent(), ".ref", ".tmp");
    try {
      Files.writeString(tmp, commit, StandardCharsets.UTF_8);
      Files.move(tmp, ref, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The snapshot directory a revision (branch, tag or commit hash) resolves to without the network. */
  Optional<Path> cachedSnapshot(String revision) {
    String commit = HubNames.isCommitHash(revision) ? revision : readRef(revision).orElse(null);
    if (commit == null) {
      return Optional.empty();
    }
    Path dir = snapshotDir(commit);
    return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
  }

  /**
   * Makes {@code target} (a file in a snapshot) point at {@code blob}: a relative symlink, as
   * huggingface_hub makes, or a copy where the file system refuses links.
   */
  void link(Path blob, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    if (Files.exists(target)) {
      return; // linked meanwhile by another thread or process
    }
    if (Files.isSymbolicLink(target)) {
      Files.delete(target); // dangling: its blob was deleted
    }
    Path relative = target.getParent().relativize(blob);
    try {
      Files.createSymbolicLink(target, relative);
      return;
    } catch (FileAlreadyExistsException e) {
      return; // another process linked it at the same time
    } catch (UnsupportedOperationException | IOException e) {
      LOG.debug("cannot symlink {} -> {} ({}); copying the blob instead", target, relative, e.toString());
    }
    Path tmp = Files.createTempFile(target.getParent(), ".copy", ".tmp");
    try {
      Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A task that does I/O while holding a blob's lock. */
  interface Locked<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code task} holding {@code .locks/models--org--name/{etag}.lock}, so two threads or two
   * JVMs never write the same blob at once. Where the file system cannot lock, runs unlocked.
   */
  <T> T withLock(String etag, Locked<T> task) throws IOException {
    Path lockFile = root.resolve(".locks").resolve(folder).resolve(etag + ".lock");
    Files.createDirectories(lockFile.getParent());
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = null;
      boolean told = false;
      while (lock == null) {
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null; // another thread of this JVM holds it
        } catch (IOException e) {
          LOG.debug("cannot lock {} ({}); downloading without a lock", lockFile, e.toString());
          return task.run();
        }
        if (lock == null) {
          if (!told) {
            LOG.info("waiting for another download of {} to finish", lockFile.getFileName());
            told = true;
          }
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Embed4jException.DownloadFailed("interrupted while waiting for another download of " + etag);
          }
        }
      }
      try {
        return task.run();
      } finally {
        lock.release();
      }
    }
  }
}

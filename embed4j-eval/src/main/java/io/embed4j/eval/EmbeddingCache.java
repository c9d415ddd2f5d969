package io.embed4j.eval;

import io.embed4j.encode.EncodeStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Logger;

/**
 * Embeddings kept on disk between evaluation runs, one file per (encoder fingerprint, texts) pair.
 * The key is the SHA-256 of the encoder's {@link TextEncoder#fingerprint fingerprint} (weights
 * hash, tokenizer hash, model configuration, prompt, encode options) and of the texts themselves,
 * so any change to the model, the data or the options misses the cache.
 *
 * <pre>
 * DIR/KEY.vec   "E4JVEC01", int rows, int dims, 6 longs of EncodeStats, rows x dims float32; little-endian
 * DIR/KEY.txt   the fingerprint in words, for people
 * </pre>
 *
 * Files are written under a temporary name and renamed, so a crash never leaves a half file. A file
 * that cannot be read is treated as a miss and rewritten.
 */
public final class EmbeddingCache {
  private static final Logger LOG = Logger.getLogger(EmbeddingCache.class.getName());
  private static final byte[] MAGIC = "E4JVEC01".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER = MAGIC.length + 8 + 6 * 8;

  private final Path dir;

  public EmbeddingCache(Path dir) {
    this.dir = dir;
  }

  /** The default location: {@code $EMBED4J_HOME/cache/embeddings}. */
  public static EmbeddingCache defaultCache() {
    return new EmbeddingCache(io.embed4j.model.Embed4jHome.dir().resolve("cache").resolve("embeddings"));
  }

  public Path dir() {
    return dir;
  }

  /** The cache key for these texts under this fingerprint. */
  public static String key(String fingerprint, List<String> texts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(fingerprint.getBytes(StandardCharsets.UTF_8));
      ByteBuffer len = ByteBuffer.allocate(4);
      md.update(len.putInt(0, texts.size()).array());
      for (String t : texts) {
        byte[] b = t.getBytes(StandardCharsets.UTF_8);
        md.update(len.putInt(0, b.length).array());
        md.update(b);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Cached embeddings for {@code key}, or null on a miss. */
  public TextEncoder.Encoded get(String key) {
    Path file = dir.resolve(key + ".vec");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, head);
      head.flip();
      byte[] magic = new byte[MAGIC.length];
      head.get(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        LOG.warning(file + ": not an embed4j cache file; ignoring it");
        return null;
      }
      int rows = head.getInt();
      int dims = head.getInt();
      EncodeStats stats = new EncodeStats(head.getLong(), head.getLong(), head.getLong(), head.getLong(), head.getLong(), head.getLong());
      long bytes = (long) rows * dims * 4;
      if (rows < 0 || dims < 0 || ch.size() != HEADER + bytes) {
        LOG.warning(file + ": truncated or corrupt; ignoring it");
        return null;
      }
      ByteBuffer body = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, body);
      body.flip();
      var floats = body.asFloatBuffer();
      float[][] vectors = new float[rows][dims];
      for (float[] v : vectors) {
        floats.get(v);
      }
      return new TextEncoder.Encoded(vectors, stats, true);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      LOG.warning(file + ": unreadable (" + e.getMessage() + "); ignoring it");
      return null;
    }
  }

  /** Stores embeddings under {@code key}, with {@code description} beside them. */
  public void put(String key, TextEncoder.Encoded encoded, String description) {
    float[][] v = encoded.vectors();
    int dims = v.length == 0 ? 0 : v[0].length;
    EncodeStats s = encoded.stats();
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, key, ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).putInt(v.length).putInt(dims)
            .putLong(s.texts()).putLong(s.sequences()).putLong(s.realTokens()).putLong(s.paddedTokens()).putLong(s.batches()).putLong(s.nanos());
        head.flip();
        writeFully(ch, head);
        ByteBuffer body = ByteBuffer.allocate(Math.max(1, 1 << 20)).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : v) {
          if (row.length != dims) {
            throw new IllegalArgumentException("ragged embeddings: " + row.length + " != " + dims);
          }
          for (float f : row) {
            if (body.remaining() < 4) {
              body.flip();
              writeFully(ch, body);
              body.clear();
            }
            body.putFloat(f);
          }
        }
        body.flip();
        writeFully(ch, body);
      }
      Files.writeString(dir.resolve(key + ".txt"), description);
      try {
        Files.move(tmp, dir.resolve(key + ".vec"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dir.resolve(key + ".vec"), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // A cache that cannot be written costs time, not correctness.
      LOG.warning("cannot write embedding cache in " + dir + ": " + e.getMessage());
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}

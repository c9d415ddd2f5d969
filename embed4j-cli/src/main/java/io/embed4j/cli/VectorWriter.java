package io.embed4j.cli;

import io.embed4j.Embed4jException;
import io.embed4j.encode.Precision;
import io.embed4j.encode.Quantizer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Writes vectors as JSON lines (one array per line), NumPy {@code .npy} or {@code .fvecs}. Output
 * goes to a temporary file renamed into place at the end, so a failed run never leaves a partial
 * file under the requested name.
 */
public final class VectorWriter implements AutoCloseable {
  public enum Format { JSONL, NPY, FVECS }

  private final Format format;
  private final Precision precision;
  private final Path target; // null for stdout
  private final Path tmp;
  private final OutputStream out;
  private long rows;
  private int dims = -1;
  private boolean committed;

  public VectorWriter(String output, Format format, Precision precision) {
    if (format == Format.FVECS && precision != Precision.FLOAT32) {
      throw new Embed4jException.InvalidInput("--format fvecs holds float32 only; use jsonl or npy for --precision " + precision.configName());
    }
    this.format = format;
    this.precision = precision;
    try {
      if (output == null || output.equals("-")) {
        if (format == Format.NPY) {
          throw new Embed4jException.InvalidInput("--format npy needs --output FILE (its header holds the row count)");
        }
        this.target = null;
        this.tmp = null;
        this.out = new BufferedOutputStream(System.out, 1 << 16);
      } else {
        this.target = Path.of(output).toAbsolutePath();
        Path dir = target.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
          throw new Embed4jException.InvalidInput(output + ": directory " + dir + " does not exist");
        }
        this.tmp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
        this.out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
      }
    } catch (IOException e) {
      throw new Embed4jException.InvalidInput(output + ": cannot write: " + e.getMessage());
    }
  }

  public static Format formatOf(String name) {
    try {
      return Format.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Embed4jException.InvalidInput("unknown --format '" + name + "'; valid: jsonl, npy, fvecs");
    }
  }

  public void writeFloats(float[][] vectors) throws IOException {
    for (float[] v : vectors) {
      checkDims(v.length);
      switch (format) {
        case JSONL -> {
          StringBuilder sb = new StringBuilder(v.length * 12).append('[');
          for (int i = 0; i < v.length; i++) {
            if (i > 0) {
              sb.append(',');
            }
            sb.append(v[i]);
          }
          out.write(sb.append("]\n").toString().getBytes(StandardCharsets.UTF_8));
        }
        case NPY -> out.write(littleEndian(v, false));
        case FVECS -> out.write(littleEndian(v, true));
      }
      rows++;
    }
  }

  public void writeBytes(byte[][] vectors) throws IOException {
    for (byte[] v : vectors) {
      checkDims(v.length);
      if (format == Format.JSONL) {
        StringBuilder sb = new StringBuilder(v.length * 5).append('[');
        for (int i = 0; i < v.length; i++) {
          if (i > 0) {
            sb.append(',');
          }
          sb.append(Quantizer.valueOf(v[i], precision));
        }
        out.write(sb.append("]\n").toString().getBytes(StandardCharsets.UTF_8));
      } else {
        out.write(v);
      }
      rows++;
    }
  }

  private void checkDims(int n) {
    if (dims >= 0 && dims != n) {
      throw new IllegalStateException("vector width changed from " + dims + " to " + n);
    }
    dims = n;
  }

  private static byte[] littleEndian(float[] v, boolean withDimension) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4 + (withDimension ? 4 : 0)).order(ByteOrder.LITTLE_ENDIAN);
    if (withDimension) {
      b.putInt(v.length);
    }
    for (float x : v) {
      b.putFloat(x);
    }
    return b.array();
  }

  /** Finishes the file and moves it into place. */
  public void commit() throws IOException {
    out.flush();
    if (target == null) {
      committed = true;
      return;
    }
    out.close();
    if (format == Format.NPY) {
      Path withHeader = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".npy.part");
      try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(withHeader))) {
        o.write(npyHeader());
        Files.copy(tmp, o);
      }
      Files.delete(tmp);
      Files.move(withHeader, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } else {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    committed = true;
  }

  private byte[] npyHeader() {
    String dtype = switch (precision) {
      case FLOAT32 -> "<f4";
      case INT8, BINARY -> "|i1";
      case UINT8, UBINARY -> "|u1";
    };
    String dict = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (" + rows + ", " + Math.max(dims, 0) + "), }";
    int unpadded = 10 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.US_ASCII));
    return b.array();
  }

  public long rows() {
    return rows;
  }

  @Override
  public void close() {
    try {
      out.flush();
      if (target != null) {
        out.close();
      }
    } catch (IOException e) {
      // reported by commit() when it matters
    }
    if (!committed && tmp != null) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // leave the temporary file; it is hidden and named .part
      }
    }
  }
}

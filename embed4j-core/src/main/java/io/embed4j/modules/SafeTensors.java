package io.embed4j.modules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embed4j.Embed4jException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes float tensors in a {@code .safetensors} file: an 8-byte little-endian header
 * length, a JSON header of {@code name -> {dtype, shape, data_offsets}}, then the raw little-endian data.
 */
public final class SafeTensors {
  /** A tensor as floats with its shape. */
  public record Tensor(long[] shape, float[] values) {}

  private SafeTensors() {}

  public static Map<String, Tensor> read(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      channel.read(lengthBytes, 0);
      long headerLength = lengthBytes.flip().getLong();
      if (headerLength <= 0 || headerLength > 100_000_000 || 8 + headerLength > channel.size()) {
        throw new Embed4jException.InvalidModel(file + ": not a safetensors file (header length " + headerLength + ")");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLength);
      channel.read(header, 8);
      JsonNode root = new ObjectMapper().readTree(header.array());
      long dataStart = 8 + headerLength;
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("__metadata__")) {
          continue;
        }
        JsonNode info = e.getValue();
        String dtype = info.path("dtype").asText();
        long[] shape = new long[info.path("shape").size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
          shape[i] = info.path("shape").get(i).asLong();
          count *= shape[i];
        }
        long begin = info.path("data_offsets").get(0).asLong();
        long end = info.path("data_offsets").get(1).asLong();
        ByteBuffer data = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(data, dataStart + begin);
        data.flip();
        tensors.put(e.getKey(), new Tensor(shape, toFloats(data, dtype, (int) count, file, e.getKey())));
      }
      return tensors;
    } catch (IOException e) {
      throw new Embed4jException.InvalidModel("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes tensors as F32 in the given order, with {@code __metadata__ {"format": "pt"}} as
   * Hugging Face's loaders expect; the header is padded with spaces to a multiple of 8 bytes. The
   * file is written under a temporary name and renamed.
   */
  public static void write(Path file, Map<String, Tensor> tensors) {
    ObjectMapper json = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode header = json.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      Tensor t = e.getValue();
      long count = 1;
      for (long d : t.shape()) {
        count *= d;
      }
      if (count != t.values().length) {
        throw new IllegalArgumentException("tensor '" + e.getKey() + "' has " + t.values().length + " values for shape "
            + java.util.Arrays.toString(t.shape()));
      }
      var info = header.putObject(e.getKey());
      info.put("dtype", "F32");
      var shape = info.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      info.putArray("data_offsets").add(offset).add(offset + 4 * count);
      offset += 4 * count;
    }
    byte[] headerBytes;
    try {
      headerBytes = json.writeValueAsBytes(header);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    int padded = (headerBytes.length + 7) / 8 * 8;
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
      head.putLong(padded).put(headerBytes);
      while (head.hasRemaining()) {
        head.put((byte) ' ');
      }
      writeFully(out, head.flip());
      for (Tensor t : tensors.values()) {
        ByteBuffer data = ByteBuffer.allocate(4 * t.values().length).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(t.values());
        writeFully(out, data);
      }
    } catch (IOException e) {
      throw new Embed4jException("cannot write " + file + ": " + e.getMessage(), e);
    }
    try {
      java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new Embed4jException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      out.write(b);
    }
  }

  private static float[] toFloats(ByteBuffer data, String dtype, int count, Path file, String name) {
    float[] out = new float[count];
    switch (dtype) {
      case "F32" -> data.asFloatBuffer().get(out);
      case "F16" -> {
        for (int i = 0; i < count; i++) {
          out[i] = Float.float16ToFloat(data.getShort());
        }
      }
      case "BF16" -> {
        for (int i = 0; i < count; i++) {
          out[i] = Float.intBitsToFloat((data.getShort() & 0xffff) << 16);
        }
      }
      default -> throw new Embed4jException.InvalidModel(file + ": tensor '" + name + "' has dtype " + dtype + "; supported: F32, F16, BF16");
    }
    return out;
  }
}

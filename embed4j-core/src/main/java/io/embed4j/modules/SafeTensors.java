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
 * Reads float tensors from a {@code .safetensors} file: an 8-byte little-endian header length, a JSON
 * header of {@code name -> {dtype, shape, data_offsets}}, then the raw little-endian data.
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

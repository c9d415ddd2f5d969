package io.embed4j.modules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
  @TempDir Path tmp;

  @Test
  void writtenTensorsReadBackInOrderWithAnAlignedHeader() throws Exception {
    Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();
    t.put("b.weight", new SafeTensors.Tensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, -6.5f}));
    t.put("a.bias", new SafeTensors.Tensor(new long[] {1}, new float[] {Float.MIN_VALUE}));
    Path f = tmp.resolve("model.safetensors");
    SafeTensors.write(f, t);
    Map<String, SafeTensors.Tensor> back = SafeTensors.read(f);
    assertEquals(List.of("b.weight", "a.bias"), List.copyOf(back.keySet()));
    assertArrayEquals(t.get("b.weight").values(), back.get("b.weight").values());
    assertArrayEquals(new long[] {2, 3}, back.get("b.weight").shape());
    assertArrayEquals(t.get("a.bias").values(), back.get("a.bias").values());
    long headerLength = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, headerLength % 8);
    assertEquals(8 + headerLength + 4 * 7, Files.size(f));
  }
}

package io.embed4j.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Quantization against sentence-transformers' quantize_embeddings definitions, by hand. */
class QuantizerTest {
  private static final float[][] E = {{-1f, 0f, 0.5f}, {1f, 2f, 0.5f}, {0f, 1f, -0.5f}};

  @Test
  void int8UsesPerDimensionRangesOfTheEmbeddings() {
    // dim0: min -1, max 1, step 2/255 in float32 (as numpy computes with float32 embeddings);
    // x=-1 -> 0-128=-128; x=1 -> 2/0.0078431377f = 254.99998 -> 254 - 128 = 126 (numpy gives 126 too);
    // x=0 -> 127.49999-128 = -0.5 -> 0 (cast toward zero)
    byte[][] q = Quantizer.quantize(E, Precision.INT8, null);
    assertEquals(-128, q[0][0]);
    assertEquals(126, q[1][0]);
    assertEquals(0, q[2][0]);
    // dim1: min 0, max 2; x=1 -> 127.5-128 = -0.5 -> 0
    assertEquals(0, q[2][1]);
  }

  @Test
  void matchesNumpyOutputOfSentenceTransformersFormula() {
    // numpy (float32): ((e - min) / ((max - min) / 255) - 128).astype(int8) and the uint8 form without - 128
    byte[][] i8 = Quantizer.quantize(E, Precision.INT8, null);
    assertArrayEquals(new byte[] {-128, -128, 126}, i8[0]);
    assertArrayEquals(new byte[] {126, 126, 126}, i8[1]);
    assertArrayEquals(new byte[] {0, 0, -128}, i8[2]);
    byte[][] u8 = Quantizer.quantize(E, Precision.UINT8, null);
    assertArrayEquals(new byte[] {0, 0, (byte) 254}, u8[0]);
    assertArrayEquals(new byte[] {127, 127, 0}, u8[2]);
  }

  @Test
  void uint8IsTheSameScaleWithoutTheShift() {
    byte[][] q = Quantizer.quantize(E, Precision.UINT8, null);
    assertEquals(0, Quantizer.valueOf(q[0][0], Precision.UINT8));
    assertEquals(254, Quantizer.valueOf(q[1][0], Precision.UINT8)); // 254.99998 in float32, cast down
    assertEquals(127, Quantizer.valueOf(q[2][0], Precision.UINT8));
  }

  @Test
  void calibrationRangesComeFromOtherEmbeddingsAndOutliersClamp() {
    float[][] ranges = Quantizer.ranges(new float[][] {{0f, 0f, 0f}, {1f, 1f, 1f}});
    byte[][] q = Quantizer.quantize(new float[][] {{2f, -1f, 0.5f}}, Precision.INT8, ranges);
    assertEquals(127, q[0][0]);
    assertEquals(-128, q[0][1]);
    assertEquals(-0, q[0][2]); // 127.5 - 128 = -0.5 -> 0
  }

  @Test
  void binaryPacksPositiveBitsHighBitFirst() {
    float[][] v = {{1, -1, 1, -1, -1, -1, -1, 1, 0.1f}};
    byte[][] u = Quantizer.quantize(v, Precision.UBINARY, null);
    assertArrayEquals(new int[] {0b10100001, 0b10000000},
        new int[] {Quantizer.valueOf(u[0][0], Precision.UBINARY), Quantizer.valueOf(u[0][1], Precision.UBINARY)});
    byte[][] s = Quantizer.quantize(v, Precision.BINARY, null);
    assertEquals(0b10100001 - 128, s[0][0]);
    assertEquals(0b10000000 - 128, s[0][1]);
  }

  @Test
  void bytesPerVector() {
    assertEquals(1536, Precision.FLOAT32.bytesPerVector(384));
    assertEquals(384, Precision.INT8.bytesPerVector(384));
    assertEquals(48, Precision.BINARY.bytesPerVector(384));
  }
}

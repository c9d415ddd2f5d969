package io.embed4j.torch.onnx;

import java.nio.charset.StandardCharsets;

/**
 * A minimal protobuf wire-format reader over a byte array: enough to walk ONNX's ModelProto,
 * GraphProto, NodeProto, AttributeProto and TensorProto without generated classes. Each reader
 * covers {@code [position, limit)} of the shared array, so nested messages are read in place and a
 * field's byte offset in the file is known (the exporter overwrites raw_data at that offset).
 */
final class ProtoReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final byte[] data;
  private int position;
  private final int limit;
  private int tag;

  ProtoReader(byte[] data, int offset, int limit) {
    if (offset < 0 || limit > data.length || offset > limit) {
      throw new IllegalArgumentException("range [" + offset + ", " + limit + ") is outside 0.." + data.length);
    }
    this.data = data;
    this.position = offset;
    this.limit = limit;
  }

  /** Advances to the next field; false at the end of the message. */
  boolean next() {
    if (position >= limit) {
      return false;
    }
    tag = (int) readVarint();
    return true;
  }

  int field() {
    return tag >>> 3;
  }

  int wireType() {
    return tag & 7;
  }

  long varint() {
    expect(VARINT);
    return readVarint();
  }

  float fixed32Float() {
    expect(FIXED32);
    int bits = (data[position] & 0xff) | (data[position + 1] & 0xff) << 8 | (data[position + 2] & 0xff) << 16
        | (data[position + 3] & 0xff) << 24;
    position += 4;
    return Float.intBitsToFloat(bits);
  }

  /** A length-delimited field as a reader over its bytes; this reader moves past it. */
  ProtoReader message() {
    int length = lengthPrefix();
    ProtoReader r = new ProtoReader(data, position, position + length);
    position += length;
    return r;
  }

  /** Offset and length of a length-delimited field's payload, skipping over it. */
  int[] span() {
    int length = lengthPrefix();
    int[] s = {position, length};
    position += length;
    return s;
  }

  String string() {
    int length = lengthPrefix();
    String s = new String(data, position, length, StandardCharsets.UTF_8);
    position += length;
    return s;
  }

  /** Values of a repeated varint field, packed (length-delimited) or one per tag. */
  void varints(java.util.function.LongConsumer out) {
    if (wireType() == LENGTH_DELIMITED) {
      ProtoReader packed = message();
      while (packed.position < packed.limit) {
        out.accept(packed.readVarint());
      }
    } else {
      out.accept(varint());
    }
  }

  void skip() {
    switch (wireType()) {
      case VARINT -> readVarint();
      case FIXED64 -> position += 8;
      case LENGTH_DELIMITED -> {
        int length = lengthPrefix(); // reads the prefix first: position moves past it
        position += length;
      }
      case FIXED32 -> position += 4;
      default -> throw new IllegalStateException("unsupported protobuf wire type " + wireType() + " at byte " + position);
    }
    if (position > limit) {
      throw new IllegalStateException("truncated protobuf message at byte " + position);
    }
  }

  byte[] data() {
    return data;
  }

  private int lengthPrefix() {
    expect(LENGTH_DELIMITED);
    long length = readVarint();
    if (length < 0 || position + length > limit) {
      throw new IllegalStateException("field " + field() + " of length " + length + " runs past its message at byte " + position);
    }
    return (int) length;
  }

  private void expect(int wire) {
    if (wireType() != wire) {
      throw new IllegalStateException("field " + field() + " has wire type " + wireType() + ", expected " + wire);
    }
  }

  private long readVarint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (position >= limit) {
        throw new IllegalStateException("truncated varint at byte " + position);
      }
      byte b = data[position++];
      result |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw new IllegalStateException("malformed varint at byte " + position);
  }
}

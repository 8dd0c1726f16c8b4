package io.tusk.rpc.writable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Test helpers: encode with a lambda, decode from bytes, and spell bytes in hex. */
final class Bytes {

  /** Something that writes to a {@link DataOutput}. */
  @FunctionalInterface
  interface Writer {
    void writeTo(DataOutput out) throws IOException;
  }

  private Bytes() {}

  static byte[] of(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      writer.writeTo(new DataOutputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static DataInputStream in(byte[] bytes) {
    return new DataInputStream(new ByteArrayInputStream(bytes));
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** Hex digits, spaces ignored. */
  static byte[] fromHex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  /** A Hadoop UTF8 string of ASCII text, spelled by hand: uint16 length + the bytes. */
  static String utf8Hex(String ascii) {
    byte[] text = ascii.getBytes(StandardCharsets.US_ASCII);
    return String.format("%04x", text.length) + hex(text);
  }
}

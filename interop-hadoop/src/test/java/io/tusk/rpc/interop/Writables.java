package io.tusk.rpc.interop;

import io.tusk.rpc.RpcPayload;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Moves test text in and out of Tusk payloads, byte for byte as {@link RawBytesWritable}. */
final class Writables {
  private Writables() {}

  /** A Tusk request payload that is exactly what Hadoop writes for the same RawBytesWritable. */
  static RpcPayload payload(String text) {
    return new RawBytesWritable(text)::write;
  }

  /** Reads a Tusk response payload as text. */
  static String text(ByteBuffer payload) {
    byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static RawBytesWritable writable(String text) {
    return new RawBytesWritable(text);
  }

  static String text(RawBytesWritable w) {
    return w.text();
  }
}

package io.tusk.rpc;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Bytes an engine puts into a frame after the RPC header: a request on the client, a response on
 * the server. The core never looks inside; it only asks the payload to write itself.
 *
 * <p>Two ways to be written, chosen by the frame encoder on the thread that builds the frame:
 * <ul>
 *   <li>A payload that knows its {@link #serializedSize()} is written with
 *       {@link #writeTo(CodedOutputStream)} straight into the frame's array, which the encoder
 *       presized to the whole frame: no intermediate buffer, no copy. {@link #delimited} makes
 *       such payloads for protobuf messages.
 *   <li>Any other payload (size -1, e.g. Writables) is written with
 *       {@link #writeTo(DataOutputStream)} into a growing in-memory buffer; writing is cheap and
 *       never blocks.
 * </ul>
 * Both must produce the same bytes: the wire does not depend on which way was taken.
 */
@FunctionalInterface
public interface RpcPayload {
  /** Writes this payload's bytes. Called at most once per frame. */
  void writeTo(DataOutputStream out) throws IOException;

  /**
   * The exact number of bytes this payload writes, or -1 when it is not known without writing it.
   * A payload that answers {@code n >= 0} is written with {@link #writeTo(CodedOutputStream)}
   * into exactly {@code n} bytes; writing more or fewer fails the frame.
   */
  default int serializedSize() {
    return -1;
  }

  /**
   * Writes exactly {@link #serializedSize()} bytes into {@code out}, an array-backed stream over
   * the frame. The default goes through {@link #writeTo(DataOutputStream)}; sized payloads
   * override it to write without a stream in between.
   */
  default void writeTo(CodedOutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        out.write((byte) b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }
    });
    writeTo(data);
    data.flush();
  }

  /** A payload of exactly these bytes. */
  static RpcPayload ofBytes(byte[] bytes) {
    return new Delimited.Raw(bytes);
  }

  /** A payload of nothing (e.g. a void response). */
  static RpcPayload empty() {
    return Delimited.Raw.EMPTY;
  }

  /**
   * {@code message} length-delimited (a varint size, then the message), byte for byte what
   * {@code message.writeDelimitedTo(out)} writes, but sized: the frame encoder writes it straight
   * into the frame. The protobuf engine's responses are this.
   */
  static RpcPayload delimited(MessageLite message) {
    return new Delimited(message, null);
  }

  /**
   * {@code first} then {@code second}, each length-delimited, as {@link #delimited(MessageLite)}:
   * the protobuf engine's requests (its {@code RequestHeaderProto}, then the request message).
   */
  static RpcPayload delimited(MessageLite first, MessageLite second) {
    return new Delimited(first, second);
  }
}

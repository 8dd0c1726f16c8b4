package io.tusk.rpc.protobuf;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.nio.ByteBuffer;

/**
 * Reads varint-delimited protobuf messages out of a {@link ByteBuffer}, the framing the protobuf
 * engine uses for every part of its payloads.
 *
 * <pre>
 * request payload  = varint(len h) | RequestHeaderProto (h bytes) | varint(len m) | request (m)
 * response payload = varint(len m) | response message (m bytes)
 * </pre>
 *
 * <p>Parsing reads straight from the buffer's backing array when it has one (no copy, no stream
 * layers) and advances the buffer's position past the message, so the next part can follow.
 * Bytes after the last expected message are ignored, as Hadoop ignores them.
 */
final class DelimitedMessages {
  private DelimitedMessages() {}

  /**
   * Parses one delimited message of {@code prototype}'s type at {@code buffer}'s position and moves
   * the position past it.
   *
   * @throws InvalidProtocolBufferException when the bytes end early, are not a message of that
   *     type, or miss a required field; the position is then unspecified
   */
  @SuppressWarnings("unchecked")
  static <M extends Message> M parse(M prototype, ByteBuffer buffer)
      throws InvalidProtocolBufferException {
    CodedInputStream in = buffer.hasArray()
        ? CodedInputStream.newInstance(buffer.array(), buffer.arrayOffset() + buffer.position(),
            buffer.remaining())
        : CodedInputStream.newInstance(buffer.slice());
    try {
      int length = in.readRawVarint32();
      if (length < 0) {
        throw new InvalidProtocolBufferException("negative length " + length
            + " of a delimited " + prototype.getDescriptorForType().getFullName());
      }
      int oldLimit = in.pushLimit(length);
      M message = (M) prototype.getParserForType().parseFrom(in);
      in.popLimit(oldLimit);
      return message;
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (java.io.IOException e) {
      // CodedInputStream over memory only throws InvalidProtocolBufferException; keep the type.
      throw new InvalidProtocolBufferException(e);
    } finally {
      buffer.position(Math.min(buffer.limit(), buffer.position() + in.getTotalBytesRead()));
    }
  }
}

package io.tusk.rpc.wire;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import io.tusk.rpc.RpcPayload;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Writes complete frames into one reusable buffer.
 *
 * <pre>
 * +--------------+----------+---------------------+------------------------+
 * | int32 length | varint n | header (n bytes)    | payload (engine bytes) |
 * +--------------+----------+---------------------+------------------------+
 * length = size of everything after the length field
 * </pre>
 *
 * <p>Two paths, the same bytes: a payload that knows its {@link RpcPayload#serializedSize() size}
 * (protobuf messages) is written with the header through one {@link CodedOutputStream} over the
 * buffer, presized to the exact frame; any other payload is written through a stream into a
 * buffer that grows as it is written.
 *
 * <p>Not thread-safe: each writer (a server handler, a client connection's pooled encoder) owns one
 * and reuses it, so the hot path allocates no buffer once it has grown to its working size. The
 * buffer returned by {@link #encode} is valid until the next call, unless {@link #release}
 * gives it away; {@link #encodeToArray} copies.
 */
public final class FrameEncoder {
  /** A buffer that grew past this is dropped after use so one huge frame does not pin memory. */
  static final int RETAIN_LIMIT = 1 << 20;
  /** A fresh encoder's buffer; small frames (most calls) never grow it. */
  static final int INITIAL_SIZE = 512;
  private static final int MAX_FRAME = Integer.MAX_VALUE - 8;

  private final Buffer buffer = new Buffer(INITIAL_SIZE);
  private final DataOutputStream data = new DataOutputStream(buffer);

  /**
   * Encodes {@code header} (delimited) and {@code payload} as one frame.
   *
   * @return a view of the frame, valid until this encoder is used again
   * @throws IOException when the payload fails, or writes other than its declared size
   */
  public ByteBuffer encode(MessageLite header, RpcPayload payload) throws IOException {
    buffer.reset();
    buffer.count = RpcConstants.FRAME_LENGTH_FIELD;
    int headerSize = header.getSerializedSize();
    int headerPart = CodedOutputStream.computeUInt32SizeNoTag(headerSize) + headerSize;
    int payloadSize = payload == null ? 0 : payload.serializedSize();
    if (payloadSize >= 0) {
      writeSized(header, headerSize, headerPart, payload, payloadSize);
    } else {
      buffer.ensure(headerPart);
      CodedOutputStream cos = CodedOutputStream.newInstance(buffer.bytes, buffer.count,
          headerPart);
      cos.writeUInt32NoTag(headerSize);
      header.writeTo(cos);
      cos.checkNoSpaceLeft();
      buffer.count += headerPart;
      payload.writeTo(data);
      data.flush();
    }
    int length = buffer.count - RpcConstants.FRAME_LENGTH_FIELD;
    byte[] b = buffer.bytes;
    b[0] = (byte) (length >>> 24);
    b[1] = (byte) (length >>> 16);
    b[2] = (byte) (length >>> 8);
    b[3] = (byte) length;
    return ByteBuffer.wrap(b, 0, buffer.count);
  }

  /** The fast path: one exact-size region, header and payload through one CodedOutputStream. */
  private void writeSized(MessageLite header, int headerSize, int headerPart, RpcPayload payload,
      int payloadSize) throws IOException {
    long body = (long) headerPart + payloadSize;
    if (body + RpcConstants.FRAME_LENGTH_FIELD > MAX_FRAME) {
      throw new IOException("frame of " + body + " bytes is larger than 2 GiB");
    }
    buffer.presize(RpcConstants.FRAME_LENGTH_FIELD + (int) body);
    CodedOutputStream cos = CodedOutputStream.newInstance(buffer.bytes, buffer.count, (int) body);
    cos.writeUInt32NoTag(headerSize);
    header.writeTo(cos);
    if (payload != null) {
      try {
        payload.writeTo(cos);
      } catch (CodedOutputStream.OutOfSpaceException e) {
        throw tooMuch(payload, payloadSize, e);
      }
      // Protobuf's array encoder may write past its limit into the array's slack unnoticed: a
      // negative space left is a payload that wrote too much (those bytes are not in the frame).
      if (cos.spaceLeft() < 0) {
        throw tooMuch(payload, payloadSize, null);
      }
      if (cos.spaceLeft() != 0) {
        throw new IOException("payload " + payload.getClass().getName() + " wrote "
            + (payloadSize - cos.spaceLeft()) + " bytes, not the " + payloadSize
            + " it declared");
      }
    }
    buffer.count += (int) body;
  }

  private static IOException tooMuch(RpcPayload payload, int declared, Throwable cause) {
    return new IOException("payload " + payload.getClass().getName() + " wrote more than the "
        + declared + " bytes it declared", cause);
  }

  /** Encodes a frame into a new array of exactly its size. */
  public byte[] encodeToArray(MessageLite header, RpcPayload payload) throws IOException {
    ByteBuffer frame = encode(header, payload);
    byte[] copy = Arrays.copyOf(frame.array(), frame.limit());
    trim();
    return copy;
  }

  /** Lets go of an oversized buffer; call after the frame from {@link #encode} has been written. */
  public void trim() {
    if (buffer.bytes.length > RETAIN_LIMIT) {
      buffer.bytes = new byte[INITIAL_SIZE];
    }
    buffer.reset();
  }

  /**
   * Gives the array behind {@code frame} to the caller: this encoder never writes into it again
   * and continues with a fresh small buffer. The server's response queue takes frames it cannot
   * write at once this way instead of copying their unsent rest.
   *
   * @return false (and nothing changes) when {@code frame} is not a view of this encoder's buffer
   */
  public boolean release(ByteBuffer frame) {
    if (!frame.hasArray() || frame.array() != buffer.bytes) {
      return false;
    }
    buffer.bytes = new byte[INITIAL_SIZE];
    buffer.reset();
    return true;
  }

  /** The size of the buffer this encoder holds now (for tests and memory accounting). */
  public int capacity() {
    return buffer.bytes.length;
  }

  /** A ByteArrayOutputStream without locks whose array we may read directly. */
  private static final class Buffer extends OutputStream {
    byte[] bytes;
    int count;

    Buffer(int size) {
      bytes = new byte[size];
    }

    void reset() {
      count = 0;
    }

    /**
     * Room for a frame of exactly {@code size} bytes, of which only the length field (not yet
     * written) comes before: a buffer too small is replaced, not copied, and not doubled.
     */
    void presize(int size) {
      if (size > bytes.length) {
        bytes = new byte[size];
      }
    }

    void ensure(int more) {
      long needed = (long) count + more;
      if (needed > bytes.length) {
        if (needed > MAX_FRAME) {
          throw new IllegalStateException("frame larger than 2 GiB");
        }
        bytes = Arrays.copyOf(bytes, (int) Math.max(needed, Math.min(
            (long) bytes.length * 2, MAX_FRAME)));
      }
    }

    @Override
    public void write(int b) {
      ensure(1);
      bytes[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, bytes, count, len);
      count += len;
    }
  }
}

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
 * <p>Not thread-safe: each writer thread (client caller, server handler) owns one and reuses it, so
 * the hot path allocates nothing once the buffer has grown to its working size. The buffer returned
 * by {@link #encode} is valid until the next call; {@link #encodeToArray} copies.
 */
public final class FrameEncoder {
  /** A buffer that grew past this is dropped after use so one huge frame does not pin memory. */
  private static final int RETAIN_LIMIT = 1 << 20;

  private final Buffer buffer = new Buffer(512);
  private final DataOutputStream data = new DataOutputStream(buffer);

  /**
   * Encodes {@code header} (delimited) and {@code payload} as one frame.
   *
   * @return a view of the frame, valid until this encoder is used again
   */
  public ByteBuffer encode(MessageLite header, RpcPayload payload) throws IOException {
    buffer.reset();
    buffer.count = RpcConstants.FRAME_LENGTH_FIELD;
    int headerSize = header.getSerializedSize();
    int prefix = CodedOutputStream.computeUInt32SizeNoTag(headerSize);
    buffer.ensure(prefix + headerSize);
    CodedOutputStream cos = CodedOutputStream.newInstance(buffer.bytes, buffer.count,
        prefix + headerSize);
    cos.writeUInt32NoTag(headerSize);
    header.writeTo(cos);
    cos.checkNoSpaceLeft();
    buffer.count += prefix + headerSize;
    if (payload != null) {
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
      buffer.bytes = new byte[512];
    }
    buffer.reset();
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

    void ensure(int more) {
      long needed = (long) count + more;
      if (needed > bytes.length) {
        if (needed > Integer.MAX_VALUE - 8) {
          throw new IllegalStateException("frame larger than 2 GiB");
        }
        bytes = Arrays.copyOf(bytes, (int) Math.max(needed, Math.min(
            (long) bytes.length * 2, Integer.MAX_VALUE - 8)));
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

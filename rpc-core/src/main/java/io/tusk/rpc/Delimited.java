package io.tusk.rpc;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Objects;

/**
 * The sized payloads behind {@link RpcPayload#delimited} and {@link RpcPayload#ofBytes}. Message
 * sizes are memoized by generated messages, so asking for them (once for the size, again while
 * writing) costs a field read.
 */
record Delimited(MessageLite first, MessageLite second) implements RpcPayload {
  Delimited {
    Objects.requireNonNull(first, "message");
  }

  @Override
  public int serializedSize() {
    long size = delimitedSize(first) + (second == null ? 0 : delimitedSize(second));
    if (size > Integer.MAX_VALUE) {
      throw new IllegalStateException("payload of " + size + " bytes is larger than 2 GiB");
    }
    return (int) size;
  }

  private static long delimitedSize(MessageLite m) {
    int n = m.getSerializedSize();
    return (long) CodedOutputStream.computeUInt32SizeNoTag(n) + n;
  }

  @Override
  public void writeTo(CodedOutputStream out) throws IOException {
    out.writeUInt32NoTag(first.getSerializedSize());
    first.writeTo(out);
    if (second != null) {
      out.writeUInt32NoTag(second.getSerializedSize());
      second.writeTo(out);
    }
  }

  @Override
  public void writeTo(DataOutputStream out) throws IOException {
    first.writeDelimitedTo(out);
    if (second != null) {
      second.writeDelimitedTo(out);
    }
  }

  @Override
  public String toString() {
    return second == null ? "delimited(" + first + ")"
        : "delimited(" + first + ", " + second + ")";
  }

  /** Raw bytes, sized too. */
  record Raw(byte[] bytes) implements RpcPayload {
    static final Raw EMPTY = new Raw(new byte[0]);

    Raw {
      Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public int serializedSize() {
      return bytes.length;
    }

    @Override
    public void writeTo(CodedOutputStream out) throws IOException {
      out.writeRawBytes(bytes);
    }

    @Override
    public void writeTo(DataOutputStream out) throws IOException {
      out.write(bytes);
    }

    @Override
    public String toString() {
      return bytes.length + " bytes";
    }
  }
}

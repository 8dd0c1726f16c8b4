package io.tusk.rpc.interop;

import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.io.Writable;

/**
 * A Hadoop {@link Writable} that is its bytes and nothing else: written without a length, read
 * until the end of the request or response. RPC_BUILTIN frames then carry exactly the text the
 * tests choose, so Tusk's echo test engine reads its commands ({@code throw:}, {@code whoami}).
 */
public final class RawBytesWritable implements Writable {
  private byte[] bytes = new byte[0];

  public RawBytesWritable() {}

  public RawBytesWritable(String text) {
    this.bytes = text.getBytes(StandardCharsets.UTF_8);
  }

  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.write(bytes);
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    try {
      while (true) {
        read.write(in.readByte());
      }
    } catch (EOFException end) {
      // the frame ends here: that is the whole value
    }
    bytes = read.toByteArray();
  }
}

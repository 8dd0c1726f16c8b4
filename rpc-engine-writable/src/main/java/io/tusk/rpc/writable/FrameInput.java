package io.tusk.rpc.writable;

import java.io.DataInputStream;
import java.nio.ByteBuffer;

/**
 * The input of every decode the engine does: one frame's payload (a {@link ByteBuffer} from its
 * position to its limit, read in place) as a {@link DataInputStream} that knows exactly how many
 * bytes are left, so no decoder has to trust a length the peer sent (see {@link DecodingInput}).
 * The server's request decoder and the client's response decoder create one per frame, on
 * whichever thread decodes it.
 *
 * <p>Not thread-safe.
 */
final class FrameInput extends DataInputStream implements DecodingInput {
  private final ByteBuffer buffer;
  private int nesting;

  FrameInput(ByteBuffer buffer) {
    super(new ByteBufferInputStream(buffer));
    this.buffer = buffer;
  }

  @Override
  public int remaining() {
    return buffer.remaining(); // exact: DataInputStream reads ahead nothing
  }

  @Override
  public int nesting() {
    return nesting;
  }

  @Override
  public void nesting(int level) {
    nesting = level;
  }
}

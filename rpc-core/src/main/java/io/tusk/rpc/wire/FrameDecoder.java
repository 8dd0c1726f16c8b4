package io.tusk.rpc.wire;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Cuts a byte stream into length-prefixed frames, committing memory only for bytes that arrived.
 *
 * <pre>
 * +----------------------+--------------------------------+
 * | int32 length (BE)    | body: exactly `length` bytes   |
 * +----------------------+--------------------------------+
 *   0x00 0x00 0x01 0x2C    300 bytes ...
 * </pre>
 *
 * <p>Feed it whatever a read returned: a few bytes, several frames at once, a frame split anywhere
 * (even inside the length). Each complete body is handed to a {@link FrameSink} in its own array.
 * A hostile peer may announce a huge length and then send slowly or not at all, so the body buffer
 * starts small and doubles only as bytes arrive, never beyond the announced length: memory held is
 * at most about twice what was received. Every byte of capacity is charged to an optional
 * {@link ByteBudget}; the charge of a finished frame passes to the sink, which releases it when the
 * frame is no longer needed.
 *
 * <p>A decoder belongs to one connection and is used by one thread at a time.
 */
public final class FrameDecoder {
  /** Receives each complete frame body. */
  @FunctionalInterface
  public interface FrameSink {
    /**
     * Called once per complete frame, in order.
     *
     * @param body the frame body, position 0, limit = frame length; the sink owns it
     * @param chargedBytes bytes charged to the budget for this frame; the sink must release them
     */
    void onFrame(ByteBuffer body, int chargedBytes) throws IOException;
  }

  /** Smallest body buffer allocated for a partially received frame. */
  static final int INITIAL_CHUNK = 4096;

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final ByteBudget budget;
  private int maxFrameLength;

  private final byte[] lengthBytes = new byte[RpcConstants.FRAME_LENGTH_FIELD];
  private int lengthRead;
  private int frameLength = -1;
  private byte[] body;
  private int bodyRead;
  private int charged;

  /**
   * @param maxFrameLength largest body accepted; a longer announcement fails at once
   * @param budget where buffer capacity is charged, or {@code null} for none (client side)
   */
  public FrameDecoder(int maxFrameLength, ByteBudget budget) {
    setMaxFrameLength(maxFrameLength);
    this.budget = budget;
  }

  /** Changes the limit for frames whose length has not been read yet. */
  public void setMaxFrameLength(int maxFrameLength) {
    if (maxFrameLength < 0) {
      throw new IllegalArgumentException("maxFrameLength must be >= 0, got " + maxFrameLength);
    }
    this.maxFrameLength = maxFrameLength;
  }

  /** The limit in force. */
  public int maxFrameLength() {
    return maxFrameLength;
  }

  /**
   * Consumes every remaining byte of {@code src}, emitting each frame it completes.
   *
   * @throws FrameLengthException when a length is negative or above the maximum; the decoder is
   *     then unusable and the caller closes the stream
   * @throws IOException whatever the sink throws; bytes after that frame stay in {@code src}
   */
  public void feed(ByteBuffer src, FrameSink sink) throws IOException {
    while (src.hasRemaining()) {
      if (frameLength < 0 && !readLength(src)) {
        return;
      }
      if (frameLength == 0) {
        frameLength = -1;
        sink.onFrame(EMPTY.duplicate(), 0);
        continue;
      }
      if (!src.hasRemaining()) {
        return; // the length ended this read: no body byte yet, so no buffer either
      }
      int n = Math.min(frameLength - bodyRead, src.remaining());
      ensureCapacity(bodyRead + n, src.remaining());
      src.get(body, bodyRead, n);
      bodyRead += n;
      if (bodyRead == frameLength) {
        ByteBuffer frame = ByteBuffer.wrap(body, 0, frameLength);
        int frameCharge = charged;
        body = null;
        bodyRead = 0;
        charged = 0;
        frameLength = -1;
        sink.onFrame(frame, frameCharge);
      }
    }
  }

  /** True when part of a frame (length or body) has been received but not emitted. */
  public boolean hasPartialFrame() {
    return lengthRead > 0 || frameLength >= 0;
  }

  /** Bytes of buffer capacity currently charged for the partial frame. */
  public int bufferedBytes() {
    return charged;
  }

  /** Drops any partial frame and returns its charge to the budget. Call when the stream closes. */
  public void release() {
    if (budget != null && charged > 0) {
      budget.release(charged);
    }
    charged = 0;
    body = null;
    bodyRead = 0;
    frameLength = -1;
    lengthRead = 0;
  }

  private boolean readLength(ByteBuffer src) throws FrameLengthException {
    if (lengthRead == 0 && src.remaining() >= 4) {
      frameLength = src.getInt();
    } else {
      while (lengthRead < 4 && src.hasRemaining()) {
        lengthBytes[lengthRead++] = src.get();
      }
      if (lengthRead < 4) {
        return false;
      }
      lengthRead = 0;
      frameLength = ((lengthBytes[0] & 0xff) << 24) | ((lengthBytes[1] & 0xff) << 16)
          | ((lengthBytes[2] & 0xff) << 8) | (lengthBytes[3] & 0xff);
    }
    if (frameLength < 0 || frameLength > maxFrameLength) {
      int bad = frameLength;
      frameLength = -1;
      throw new FrameLengthException(bad, maxFrameLength);
    }
    return true;
  }

  /** Grows the body buffer to hold {@code needed} bytes, never past what arrived or the frame. */
  private void ensureCapacity(int needed, int available) {
    int capacity = body == null ? 0 : body.length;
    if (needed <= capacity) {
      return;
    }
    int target;
    if (body == null && available >= frameLength) {
      target = frameLength; // the whole frame is here: exact size, the common case
    } else {
      long doubled = Math.max((long) capacity * 2, INITIAL_CHUNK);
      target = (int) Math.min(frameLength, Math.max(doubled, needed));
    }
    byte[] grown = new byte[target];
    if (body != null) {
      System.arraycopy(body, 0, grown, 0, bodyRead);
    }
    if (budget != null) {
      budget.charge(target - capacity);
    }
    charged += target - capacity;
    body = grown;
  }
}

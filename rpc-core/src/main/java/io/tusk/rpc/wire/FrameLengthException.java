package io.tusk.rpc.wire;

import java.io.IOException;

/**
 * A frame announced a length that is negative or larger than allowed. The connection cannot be
 * resynchronised, so whoever sees this closes it; nothing of the announced size was allocated.
 */
public final class FrameLengthException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long announced;
  private final int maximum;

  public FrameLengthException(long announced, int maximum) {
    super(announced < 0
        ? "negative frame length " + announced
        : "frame length " + announced + " exceeds the maximum of " + maximum
            + " bytes (ipc.maximum.data.length)");
    this.announced = announced;
    this.maximum = maximum;
  }

  /** The length the peer announced. */
  public long announced() {
    return announced;
  }

  /** The maximum that was in force. */
  public int maximum() {
    return maximum;
  }
}

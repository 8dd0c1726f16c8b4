package io.tusk.rpc.writable;

import java.io.DataInput;

/**
 * A {@link DataInput} that carries what decoding needs to stay bounded by what arrived: how many
 * bytes are left, when that is known, and how deeply the value being read is nested, so that the
 * count goes on across a {@link Writable} that reads further {@link ObjectWritable}s from the same
 * input. {@link ObjectWritable} reads only through one of these: the engine's {@link FrameInput},
 * or a {@link NestingInput} around any other input.
 *
 * <p>Belongs to the one thread decoding one value; not thread-safe.
 */
interface DecodingInput extends DataInput {

  /** What {@link #remaining()} returns when the input does not know. */
  int UNKNOWN = -1;

  /**
   * Returns how many bytes are left, exactly, or {@link #UNKNOWN}.
   *
   * @return the bytes left, or {@link #UNKNOWN}
   */
  int remaining();

  /**
   * Returns how many arrays and Writables enclose the values read next.
   *
   * @return the nesting level, 0 for a value at the top
   */
  int nesting();

  /**
   * Sets the nesting level, around a Writable's {@code readFields}.
   *
   * @param level the level of the values read next
   */
  void nesting(int level);

  /**
   * Returns how many bytes {@code in} has left, exactly, or {@link #UNKNOWN}.
   *
   * @param in any input
   * @return the bytes left, or {@link #UNKNOWN}
   */
  static int remaining(DataInput in) {
    return in instanceof DecodingInput decoding ? decoding.remaining() : UNKNOWN;
  }
}

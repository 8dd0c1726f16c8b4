package io.tusk.rpc.writable;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Hadoop's zero-compressed variable-length integers ("vint" / "vlong"), as written by
 * {@code org.apache.hadoop.io.WritableUtils.writeVLong} and used for {@link Text}'s length.
 *
 * <h2>Layout</h2>
 * <pre>
 * value in [-112, 127]:   +-------+
 *                         | value |                       one byte, the value itself
 *                         +-------+
 * otherwise:              +--------+---------------------+
 *                         | marker | n magnitude bytes   |  big-endian, leading zero bytes dropped
 *                         +--------+---------------------+
 *   value &gt;= 128:  marker = -112 - n  (-113 .. -120), magnitude = value
 *   value &lt; -112:  marker = -120 - n  (-121 .. -128), magnitude = ~value (one's complement)
 * </pre>
 * Examples: {@code 127 -> 7f}, {@code 128 -> 8f 80}, {@code -112 -> 90}, {@code -113 -> 87 70},
 * {@code Long.MAX_VALUE -> 88 7f ff ff ff ff ff ff ff}, {@code Long.MIN_VALUE -> 80 7f ff ff ff ff
 * ff ff ff}. A vint is a vlong whose value must fit in an {@code int}. Stateless and thread-safe.
 */
public final class WritableUtils {

  private WritableUtils() {}

  /**
   * Writes {@code value} as a vint (the same bytes as {@link #writeVLong} would write).
   *
   * @param out where the bytes go
   * @param value the value
   * @throws IOException if {@code out} fails
   */
  public static void writeVInt(DataOutput out, int value) throws IOException {
    writeVLong(out, value);
  }

  /**
   * Writes {@code value} in one to nine bytes (see the class comment for the layout).
   *
   * @param out where the bytes go
   * @param value the value
   * @throws IOException if {@code out} fails
   */
  public static void writeVLong(DataOutput out, long value) throws IOException {
    if (value >= -112 && value <= 127) {
      out.writeByte((int) value);
      return;
    }
    boolean negative = value < 0;
    long magnitude = negative ? ~value : value;
    int count = magnitudeBytes(magnitude);
    out.writeByte((negative ? -120 : -112) - count);
    for (int shift = (count - 1) * 8; shift >= 0; shift -= 8) {
      out.writeByte((int) (magnitude >>> shift));
    }
  }

  /**
   * Reads a vlong.
   *
   * @param in where the bytes come from
   * @return the value
   * @throws java.io.EOFException if {@code in} ends inside the value
   * @throws IOException if {@code in} fails
   */
  public static long readVLong(DataInput in) throws IOException {
    byte first = in.readByte();
    int size = decodeVIntSize(first);
    if (size == 1) {
      return first;
    }
    long magnitude = 0;
    for (int i = 1; i < size; i++) {
      magnitude = (magnitude << 8) | (in.readByte() & 0xFF);
    }
    return isNegativeVInt(first) ? ~magnitude : magnitude;
  }

  /**
   * Reads a vint.
   *
   * @param in where the bytes come from
   * @return the value
   * @throws IOException if the encoded value does not fit in an {@code int}, or {@code in} fails
   *     or ends inside the value
   */
  public static int readVInt(DataInput in) throws IOException {
    long value = readVLong(in);
    if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
      throw new IOException("vint value " + value + " does not fit in an int");
    }
    return (int) value;
  }

  /**
   * Returns the total encoded size, in bytes, of the vlong whose first byte is {@code first}.
   *
   * @param first the first byte of an encoded value
   * @return 1 to 9
   */
  public static int decodeVIntSize(byte first) {
    if (first >= -112) {
      return 1;
    }
    return first < -120 ? -119 - first : -111 - first;
  }

  /**
   * Tells whether the vlong whose first byte is {@code first} is negative.
   *
   * @param first the first byte of an encoded value
   * @return {@code true} for a negative value
   */
  public static boolean isNegativeVInt(byte first) {
    return first < -120 || (first >= -112 && first < 0);
  }

  /**
   * Returns how many bytes {@link #writeVLong} writes for {@code value}.
   *
   * @param value the value
   * @return 1 to 9
   */
  public static int getVIntSize(long value) {
    if (value >= -112 && value <= 127) {
      return 1;
    }
    return 1 + magnitudeBytes(value < 0 ? ~value : value);
  }

  private static int magnitudeBytes(long magnitude) {
    int bits = Long.SIZE - Long.numberOfLeadingZeros(magnitude);
    return (bits + 7) / 8;
  }
}

package io.tusk.rpc.writable;

import io.tusk.rpc.WireName;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A string stored as standard UTF-8 bytes, byte-compatible with Hadoop's
 * {@code org.apache.hadoop.io.Text} (and named so on the wire by {@link ObjectWritable}).
 *
 * <h2>Layout</h2>
 * <pre>
 * +----------------------------+------------------------------+
 * | length: vint (1..5 bytes)  | length bytes of UTF-8        |
 * +----------------------------+------------------------------+
 * </pre>
 * The length is a {@link WritableUtils} vint counting bytes. Characters are standard UTF-8: a
 * supplementary character is four bytes, {@code '\0'} is one zero byte. As in Hadoop, encoding
 * replaces an unpaired surrogate with {@code '?'} and decoding replaces malformed bytes with
 * U+FFFD; {@link #getBytes()} keeps the bytes exactly as read.
 *
 * <p>Matches {@code Text.write}, {@code Text.readFields}, {@code Text.writeString} and
 * {@code Text.readString} in Hadoop 3.4.2. Mutable (it is a {@link Writable}), not thread-safe.
 */
@WireName("org.apache.hadoop.io.Text")
public class Text implements Writable, Comparable<Text> {

  private static final byte[] EMPTY = new byte[0];

  private byte[] bytes = EMPTY;

  /** Creates an empty text; also the constructor readers use. */
  public Text() {}

  /**
   * Creates a text holding {@code value} encoded as UTF-8.
   *
   * @param value the string
   */
  public Text(String value) {
    set(value);
  }

  /**
   * Replaces the contents with {@code value} encoded as UTF-8.
   *
   * @param value the string; never {@code null}
   */
  public void set(String value) {
    bytes = encode(value);
  }

  /**
   * Replaces the contents with a copy of {@code utf8}, taken as already encoded.
   *
   * @param utf8 UTF-8 bytes
   */
  public void setBytes(byte[] utf8) {
    bytes = utf8.clone();
  }

  /**
   * Returns a copy of the encoded bytes.
   *
   * @return the UTF-8 bytes, exactly as set or read
   */
  public byte[] getBytes() {
    return bytes.clone();
  }

  /**
   * Returns the number of encoded bytes.
   *
   * @return the length in bytes (not chars)
   */
  public int getLength() {
    return bytes.length;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    WritableUtils.writeVInt(out, bytes.length);
    out.write(bytes);
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    bytes = readBytes(in);
  }

  /**
   * Writes {@code value} in {@link Text}'s layout without creating a {@code Text}.
   *
   * @param out where the bytes go
   * @param value the string; never {@code null}
   * @return the number of UTF-8 bytes written, not counting the length
   * @throws IOException if {@code out} fails
   */
  public static int writeString(DataOutput out, String value) throws IOException {
    byte[] utf8 = encode(value);
    WritableUtils.writeVInt(out, utf8.length);
    out.write(utf8);
    return utf8.length;
  }

  /**
   * Reads a string in {@link Text}'s layout.
   *
   * @param in where the bytes come from
   * @return the decoded string
   * @throws java.io.EOFException if {@code in} ends before the string does
   * @throws IOException if the length is negative or {@code in} fails
   */
  public static String readString(DataInput in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  private static byte[] encode(String value) {
    // String.getBytes replaces an unpaired surrogate with '?', as Hadoop's REPLACE encoder does.
    return Objects.requireNonNull(value, "Text cannot hold a null string")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(DataInput in) throws IOException {
    int length = WritableUtils.readVInt(in);
    if (length < 0) {
      throw new IOException("Text length " + length + " is negative");
    }
    return PrimitiveArrays.readBytes(in, length);
  }

  /** Compares the encoded bytes as unsigned values, like Hadoop's {@code Text.Comparator}. */
  @Override
  public int compareTo(Text other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Text && Arrays.equals(bytes, ((Text) o).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Returns the decoded string (malformed bytes become U+FFFD). */
  @Override
  public String toString() {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}

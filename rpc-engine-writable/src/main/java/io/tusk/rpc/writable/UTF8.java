package io.tusk.rpc.writable;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hadoop's deprecated {@code org.apache.hadoop.io.UTF8} string encoding, which the Writable RPC
 * engine still uses for class names, protocol and method names and {@code String} values.
 *
 * <h2>Layout</h2>
 * <pre>
 * +----------------------+----------------------------------------+
 * | length: uint16 (BE)  | length bytes, one to three per char    |
 * +----------------------+----------------------------------------+
 *   char U+0000..U+007F   -> 0xxxxxxx                   (U+0000 is the single byte 0x00)
 *   char U+0080..U+07FF   -> 110xxxxx 10xxxxxx
 *   char U+0800..U+FFFF   -> 1110xxxx 10xxxxxx 10xxxxxx (each surrogate on its own: CESU-8)
 * </pre>
 * The length counts bytes, not chars. Unlike {@link DataOutput#writeUTF(String)}, {@code '\0'} is
 * one zero byte, and unlike standard UTF-8 a supplementary character is written as its two
 * surrogates, three bytes each.
 *
 * <h2>Hadoop's quirks, kept on purpose</h2>
 * <ul>
 *   <li>Writing: a string longer than {@value #MAX_CHARS} ({@code 0xffff / 3}) chars is
 *       <em>truncated</em> to its first {@value #MAX_CHARS} chars with a warning in the log, never
 *       rejected, exactly as {@code UTF8.writeString} does. The cut may split a surrogate pair.</li>
 *   <li>Reading also accepts four-byte standard UTF-8 sequences ({@code 11110xxx}) and turns them
 *       into a surrogate pair; continuation bytes are not checked, as in Hadoop's
 *       {@code UTF8.readChars}. A lead byte that starts no sequence, or a sequence cut off by the
 *       end of the string, fails with {@link UTFDataFormatException}.</li>
 * </ul>
 *
 * <p>Matches {@code UTF8.writeString}, {@code UTF8.readString}, {@code utf8Length},
 * {@code writeChars} and {@code readChars} in Hadoop 3.4.2's {@code org.apache.hadoop.io.UTF8}.
 * Stateless and thread-safe.
 */
public final class UTF8 {

  /** Longest string, in chars, that is written whole: {@code 0xffff / 3} = 21845. */
  public static final int MAX_CHARS = 0xffff / 3;

  private static final Logger LOG = LoggerFactory.getLogger(UTF8.class);

  private UTF8() {}

  /**
   * Writes {@code s} as an unsigned 16-bit byte count followed by its bytes, truncating (with a
   * warning) a string longer than {@value #MAX_CHARS} chars as Hadoop does.
   *
   * @param out where the bytes go
   * @param s the string; never {@code null}
   * @return the number of string bytes written, not counting the two length bytes
   * @throws IOException if {@code out} fails
   */
  public static int writeString(DataOutput out, String s) throws IOException {
    Objects.requireNonNull(s, "UTF8 cannot encode a null string");
    if (s.length() > MAX_CHARS) {
      LOG.warn("truncating long string: {} chars, starting with {}", s.length(), s.substring(0, 20));
      s = s.substring(0, MAX_CHARS);
    }
    byte[] bytes = encode(s);
    out.writeShort(bytes.length);
    out.write(bytes);
    return bytes.length;
  }

  /**
   * Reads a string written by {@link #writeString(DataOutput, String)} (or by Hadoop).
   *
   * @param in where the bytes come from
   * @return the decoded string
   * @throws java.io.EOFException if {@code in} ends before the string does
   * @throws UTFDataFormatException if the bytes are not valid in this encoding
   */
  public static String readString(DataInput in) throws IOException {
    // up to 64 KiB announced: allocated only as far as the input has the bytes
    return decode(PrimitiveArrays.readBytes(in, in.readUnsignedShort()));
  }

  /**
   * Returns how many bytes {@code s} takes in this encoding, without the two length bytes and
   * without truncation.
   *
   * @param s the string
   * @return its encoded length in bytes
   */
  public static int encodedLength(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      bytes += c <= 0x7F ? 1 : c <= 0x7FF ? 2 : 3;
    }
    return bytes;
  }

  /** Encodes every char on its own, as Hadoop's {@code writeChars} does. */
  static byte[] encode(String s) {
    byte[] bytes = new byte[encodedLength(s)];
    int p = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x7F) {
        bytes[p++] = (byte) c;
      } else if (c <= 0x7FF) {
        bytes[p++] = (byte) (0xC0 | (c >> 6));
        bytes[p++] = (byte) (0x80 | (c & 0x3F));
      } else {
        bytes[p++] = (byte) (0xE0 | (c >> 12));
        bytes[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        bytes[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return bytes;
  }

  /** Decodes like Hadoop's {@code readChars}: lenient about continuation bytes, strict about ends. */
  static String decode(byte[] bytes) throws UTFDataFormatException {
    int n = bytes.length;
    StringBuilder chars = new StringBuilder(n);
    int i = 0;
    while (i < n) {
      int lead = bytes[i] & 0xFF;
      if (lead < 0x80) {
        chars.append((char) lead);
        i += 1;
      } else if ((lead & 0xE0) == 0xC0) {
        requireBytes(bytes, i, 2);
        chars.append((char) (((lead & 0x1F) << 6) | (bytes[i + 1] & 0x3F)));
        i += 2;
      } else if ((lead & 0xF0) == 0xE0) {
        requireBytes(bytes, i, 3);
        chars.append((char) (((lead & 0x0F) << 12)
            | ((bytes[i + 1] & 0x3F) << 6)
            | (bytes[i + 2] & 0x3F)));
        i += 3;
      } else if ((lead & 0xF8) == 0xF0) {
        requireBytes(bytes, i, 4);
        int codePoint = ((lead & 0x07) << 18)
            | ((bytes[i + 1] & 0x3F) << 12)
            | ((bytes[i + 2] & 0x3F) << 6)
            | (bytes[i + 3] & 0x3F);
        // No range check, as in Hadoop: the same arithmetic as Character.toChars without it.
        chars.append(Character.highSurrogate(codePoint)).append(Character.lowSurrogate(codePoint));
        i += 4;
      } else {
        throw new UTFDataFormatException(String.format(
            "Invalid UTF8 at byte %d of %d: 0x%02x starts no sequence", i, n, lead));
      }
    }
    return chars.toString();
  }

  private static void requireBytes(byte[] bytes, int start, int count)
      throws UTFDataFormatException {
    if (start + count > bytes.length) {
      throw new UTFDataFormatException(String.format(
          "Truncated UTF8 at byte %d of %d: 0x%02x needs %d bytes",
          start, bytes.length, bytes[start] & 0xFF, count));
    }
  }
}

package io.tusk.rpc.writable;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Hostile Writable payloads, spelled byte by byte (no writer of ours would produce them), for the
 * decoding-limit tests: the nested {@code Object[]} bomb of issue 9, deep nestings, and arrays
 * whose announced length the bytes behind it do not justify.
 */
final class HostileRequests {
  static final String OBJECT_ARRAY = "[Ljava.lang.Object;";
  static final String WRITABLE_ARRAY = "[Lorg.apache.hadoop.io.Writable;";
  static final String OBJECT_WRITABLE = "org.apache.hadoop.io.ObjectWritable";

  private HostileRequests() {}

  /** Something that writes bytes by hand. */
  @FunctionalInterface
  interface Spelling {
    void spell(DataOutputStream out) throws IOException;
  }

  static byte[] bytes(Spelling spelling) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      spelling.spell(new DataOutputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * The bomb of issue 9: {@code levels} nested {@code Object[]}, each announcing
   * {@code announced} elements of which only the first (the next level) is sent. 3,000 levels of
   * 65,536 are 75,000 bytes.
   */
  static byte[] objectArrayBomb(int levels, int announced) {
    return bytes(out -> {
      for (int i = 0; i < levels; i++) {
        UTF8.writeString(out, OBJECT_ARRAY);
        out.writeInt(announced);
      }
    });
  }

  /**
   * A complete, well-typed value nested {@code levels} deep: a {@code Writable[]} of one
   * {@code ObjectWritable} holding the next {@code Writable[]}, and so on, with a String at the
   * bottom. Every element fits its array; only the depth is hostile (106 bytes a level).
   */
  static byte[] writableChain(int levels) {
    return bytes(out -> {
      for (int i = 0; i < levels; i++) {
        UTF8.writeString(out, WRITABLE_ARRAY);
        out.writeInt(1);
        UTF8.writeString(out, WireClassResolver.WRITABLE_NAME);
        UTF8.writeString(out, OBJECT_WRITABLE);
      }
      UTF8.writeString(out, "java.lang.String");
      UTF8.writeString(out, "bottom");
    });
  }

  /**
   * A legal String array of {@code dimensions} dimensions (at most 255), one element per level,
   * each element declared one dimension less than its array, a String at the bottom.
   */
  static byte[] stringArrays(int dimensions) {
    return bytes(out -> {
      for (int d = dimensions; d >= 1; d--) {
        UTF8.writeString(out, "[".repeat(d) + "Ljava.lang.String;");
        out.writeInt(1);
      }
      UTF8.writeString(out, "java.lang.String");
      UTF8.writeString(out, "bottom");
    });
  }

  /**
   * {@code levels} String arrays, each element declared one dimension MORE than its array (so
   * no element fits), one element each, never closed.
   */
  static byte[] stringArraysDeclaredDeeper(int levels) {
    return bytes(out -> {
      for (int d = 1; d <= levels; d++) {
        UTF8.writeString(out, "[".repeat(Math.min(d, 255)) + "Ljava.lang.String;");
        out.writeInt(1);
      }
    });
  }

  /** {@code levels} nested {@code Object[]} of one element each: deep, small (25 bytes a level). */
  static byte[] deepObjectArrays(int levels) {
    return objectArrayBomb(levels, 1);
  }

  /** A compact primitive array announcing {@code Integer.MAX_VALUE} elements, 10 bytes behind. */
  static byte[] hugeCompactArray(String component) {
    return bytes(out -> {
      UTF8.writeString(out, WireClassResolver.ARRAY_PRIMITIVE_NAME);
      UTF8.writeString(out, component);
      out.writeInt(Integer.MAX_VALUE);
      out.write(new byte[10]);
    });
  }

  /** An element-by-element {@code long[]} announcing {@code Integer.MAX_VALUE}, 10 bytes behind. */
  static byte[] hugeElementArray() {
    return bytes(out -> {
      UTF8.writeString(out, "[J");
      out.writeInt(Integer.MAX_VALUE);
      UTF8.writeString(out, "long"); // 6 bytes, then 4 of the 8 the first element needs
      out.writeInt(7);
    });
  }

  /** An Invocation of {@code protocol.method} whose one argument is {@code parameter} (encoded). */
  static byte[] invocation(String protocol, String method, long version, byte[] parameter) {
    return bytes(out -> {
      out.writeLong(Invocation.WRITABLE_RPC_VERSION);
      UTF8.writeString(out, protocol);
      UTF8.writeString(out, method);
      out.writeLong(version);
      out.writeInt(0); // clientMethodsHash: the server does not check it
      out.writeInt(1);
      out.write(parameter);
    });
  }
}

package io.tusk.rpc.writable;

import static io.tusk.rpc.writable.Bytes.hex;
import static io.tusk.rpc.writable.Bytes.in;
import static io.tusk.rpc.writable.Bytes.utf8Hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Byte-exact expectations written by hand from Hadoop's layout (ObjectWritable.writeObject in
 * Hadoop 3.4.2), each checked in both directions: we write exactly these bytes, and we read them.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ObjectWritableGoldenTest {

  private static final WireClassResolver NAMES = WireClassResolver.defaultResolver();

  private static String write(Object value, Class<?> declared, boolean compact) {
    return hex(Bytes.of(out -> ObjectWritable.writeObject(out, value, declared, compact, NAMES)));
  }

  private static ObjectWritable read(String hex) throws IOException {
    return ObjectWritable.read(in(Bytes.fromHex(hex)), NAMES);
  }

  @Test
  void intParameter() throws IOException {
    String expected = "0003 696e74" + "00000007"; // UTF8 "int", int32 7
    assertThat(write(7, int.class, false)).isEqualTo(expected.replace(" ", ""));
    assertThat(read(expected).get()).isEqualTo(7);
  }

  @Test
  void otherPrimitives() {
    assertThat(write(true, boolean.class, false)).isEqualTo(utf8Hex("boolean") + "01");
    assertThat(write((byte) -128, byte.class, false)).isEqualTo(utf8Hex("byte") + "80");
    assertThat(write('\u00e9', char.class, false)).isEqualTo(utf8Hex("char") + "00e9");
    assertThat(write((short) -2, short.class, false)).isEqualTo(utf8Hex("short") + "fffe");
    assertThat(write(Long.MIN_VALUE, long.class, false)).isEqualTo(utf8Hex("long") + "8000000000000000");
    assertThat(write(-0.0f, float.class, false)).isEqualTo(utf8Hex("float") + "80000000");
    assertThat(write(1.5d, double.class, false)).isEqualTo(utf8Hex("double") + "3ff8000000000000");
    assertThat(write(null, void.class, false)).isEqualTo(nullOf("void"));
  }

  @Test
  void stringParameter() throws IOException {
    String expected = utf8Hex("java.lang.String") + utf8Hex("hi");
    assertThat(write("hi", String.class, false)).isEqualTo(expected);
    assertThat(read(expected).get()).isEqualTo("hi");
  }

  @Test
  void unicodeStringUsesHadoopUtf8() {
    // U+00E9 -> c3a9, '\0' -> 00, U+1F600 -> two 3-byte surrogates: 9 bytes after the length
    assertThat(write("\u00e9\0\uD83D\uDE00", String.class, false))
        .isEqualTo(utf8Hex("java.lang.String") + "0009" + "c3a9" + "00" + "eda0bd" + "edb880");
  }

  /** Hadoop's NullInstance: declared Writable, actual NullInstance, then the real declared name. */
  private static String nullOf(String declaredName) {
    return utf8Hex("org.apache.hadoop.io.Writable")
        + utf8Hex("org.apache.hadoop.io.ObjectWritable$NullInstance")
        + utf8Hex(declaredName);
  }

  @Test
  void nullString() throws IOException {
    assertThat(write(null, String.class, false)).isEqualTo(nullOf("java.lang.String"));
    ObjectWritable read = read(nullOf("java.lang.String"));
    assertThat(read.get()).isNull();
    assertThat(read.getDeclaredClass()).isEqualTo(String.class);
  }

  @Test
  void nullArrayAndNullPrimitiveNames() throws IOException {
    assertThat(write(null, byte[].class, true)).isEqualTo(nullOf("[B"));
    assertThat(write(null, String[].class, false)).isEqualTo(nullOf("[Ljava.lang.String;"));
    assertThat(write(null, Text.class, false)).isEqualTo(nullOf("org.apache.hadoop.io.Text"));
    assertThat(read(nullOf("[Lorg.apache.hadoop.io.Text;")).getDeclaredClass()).isEqualTo(Text[].class);
    assertThat(read(nullOf("int")).getDeclaredClass()).isEqualTo(int.class);
  }

  @Test
  void enumByName() throws IOException {
    String expected = utf8Hex("java.util.concurrent.TimeUnit") + utf8Hex("SECONDS");
    assertThat(write(TimeUnit.SECONDS, TimeUnit.class, false)).isEqualTo(expected);
    assertThat(read(expected).get()).isSameAs(TimeUnit.SECONDS);
  }

  @Test
  void textTravelsUnderHadoopsClassName() throws IOException {
    String expected = utf8Hex("org.apache.hadoop.io.Writable") + utf8Hex("org.apache.hadoop.io.Text")
        + "01" + "78"; // Text: vint length 1, "x"
    assertThat(write(new Text("x"), Writable.class, false)).isEqualTo(expected);
    assertThat(read(expected).get()).isEqualTo(new Text("x"));
  }

  @Test
  void byteArrayElementByElementWhenNotCompact() throws IOException {
    String expected = utf8Hex("[B") + "00000003"
        + utf8Hex("byte") + "01" + utf8Hex("byte") + "02" + utf8Hex("byte") + "fd";
    assertThat(write(new byte[] {1, 2, -3}, byte[].class, false)).isEqualTo(expected);
    assertThat(read(expected).get()).isEqualTo(new byte[] {1, 2, -3});
  }

  @Test
  void byteArrayCompactForRequestParameters() throws IOException {
    String expected = utf8Hex("org.apache.hadoop.io.ArrayPrimitiveWritable$Internal")
        + utf8Hex("byte") + "00000003" + "0102fd";
    assertThat(write(new byte[] {1, 2, -3}, byte[].class, true)).isEqualTo(expected);
    assertThat(read(expected).get()).isEqualTo(new byte[] {1, 2, -3});
    assertThat(read(expected).getDeclaredClass()).isEqualTo(byte[].class);
  }

  @Test
  void compactIntArrayAndNestedArraysCompactOnlyAtTheLeaves() {
    assertThat(write(new int[] {1, -1}, int[].class, true))
        .isEqualTo(utf8Hex("org.apache.hadoop.io.ArrayPrimitiveWritable$Internal")
            + utf8Hex("int") + "00000002" + "00000001" + "ffffffff");
    assertThat(write(new int[][] {{5}}, int[][].class, true))
        .isEqualTo(utf8Hex("[[I") + "00000001"
            + utf8Hex("org.apache.hadoop.io.ArrayPrimitiveWritable$Internal")
            + utf8Hex("int") + "00000001" + "00000005");
  }

  @Test
  void stringArrayWithNullElement() {
    assertThat(write(new String[] {"a", null}, String[].class, false))
        .isEqualTo(utf8Hex("[Ljava.lang.String;") + "00000002"
            + utf8Hex("java.lang.String") + utf8Hex("a")
            + nullOf("java.lang.String"));
  }
}

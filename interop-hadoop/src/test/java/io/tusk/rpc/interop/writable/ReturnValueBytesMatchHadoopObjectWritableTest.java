package io.tusk.rpc.interop.writable;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.interop.writable.CalculatorProtocols.DualPoint;
import io.tusk.rpc.interop.writable.CalculatorProtocols.Shade;
import io.tusk.rpc.writable.ObjectWritable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A return value written by Tusk's Writable server (an {@link ObjectWritable} declared as the
 * method's return type) is, byte for byte, what Hadoop's server writes
 * ({@code new org.apache.hadoop.io.ObjectWritable(returnType, value)}): arrays element by element,
 * never compact; and each side reads the other's bytes back to the same value.
 */
@Timeout(30)
class ReturnValueBytesMatchHadoopObjectWritableTest {

  /** A case: Hadoop's declared type and value, then Tusk's. */
  static Stream<Arguments> values() {
    return Stream.of(
        same("boolean", boolean.class, true),
        same("int", int.class, -42),
        same("long", long.class, Long.MIN_VALUE),
        same("double", double.class, 0.1),
        same("void", void.class, null),
        same("String", String.class, "ünïcode € 𝄞"),
        same("null String", String.class, null),
        same("String[]", String[].class, new String[] {"a", null, ""}),
        same("byte[] (element by element)", byte[].class, new byte[] {1, -1, 0}),
        same("int[] (element by element)", int[].class, new int[] {7, Integer.MIN_VALUE}),
        same("empty long[]", long[].class, new long[0]),
        same("null int[]", int[].class, null),
        same("enum", Shade.class, Shade.DARK),
        same("custom Writable", DualPoint.class, new DualPoint(3, 4)),
        Arguments.of("Text", org.apache.hadoop.io.Text.class,
            new org.apache.hadoop.io.Text("tëxt"), io.tusk.rpc.writable.Text.class,
            new io.tusk.rpc.writable.Text("tëxt")),
        Arguments.of("null Text", org.apache.hadoop.io.Text.class, null,
            io.tusk.rpc.writable.Text.class, null),
        Arguments.of("Text[]", org.apache.hadoop.io.Text[].class,
            new org.apache.hadoop.io.Text[] {new org.apache.hadoop.io.Text("x")},
            io.tusk.rpc.writable.Text[].class,
            new io.tusk.rpc.writable.Text[] {new io.tusk.rpc.writable.Text("x")}),
        Arguments.of("ProtocolSignature", org.apache.hadoop.ipc.ProtocolSignature.class,
            new org.apache.hadoop.ipc.ProtocolSignature(4, new int[] {-1, 2}),
            io.tusk.rpc.ProtocolSignature.class,
            new io.tusk.rpc.ProtocolSignature(4, new int[] {-1, 2})),
        Arguments.of("ProtocolSignature of a matching client",
            org.apache.hadoop.ipc.ProtocolSignature.class,
            new org.apache.hadoop.ipc.ProtocolSignature(4, null),
            io.tusk.rpc.ProtocolSignature.class, new io.tusk.rpc.ProtocolSignature(4, null)));
  }

  private static Arguments same(String name, Class<?> type, Object value) {
    return Arguments.of(name, type, value, type, value);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void tuskWritesHadoopsReturnValueBytes(String name, Class<?> hadoopType, Object hadoopValue,
      Class<?> tuskType, Object tuskValue) throws IOException {
    assertThat(hex(tuskBytes(tuskType, tuskValue)))
        .isEqualTo(hex(hadoopBytes(hadoopType, hadoopValue)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void hadoopReadsTuskReturnValue(String name, Class<?> hadoopType, Object hadoopValue,
      Class<?> tuskType, Object tuskValue) throws IOException {
    org.apache.hadoop.io.ObjectWritable read = new org.apache.hadoop.io.ObjectWritable();
    read.setConf(new Configuration(false));
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(
        tuskBytes(tuskType, tuskValue)));

    read.readFields(in);

    assertThat(in.available()).isZero();
    assertThat(read.getDeclaredClass()).isEqualTo(hadoopType);
    if (hadoopValue instanceof org.apache.hadoop.ipc.ProtocolSignature expected) {
      var got = (org.apache.hadoop.ipc.ProtocolSignature) read.get();
      assertThat(got.getVersion()).isEqualTo(expected.getVersion());
      assertThat(got.getMethods()).isEqualTo(expected.getMethods());
    } else {
      assertThat(read.get()).isEqualTo(hadoopValue);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void tuskReadsHadoopReturnValue(String name, Class<?> hadoopType, Object hadoopValue,
      Class<?> tuskType, Object tuskValue) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(
        hadoopBytes(hadoopType, hadoopValue)));

    Object read = ObjectWritable.readObject(in);

    assertThat(in.available()).isZero();
    assertThat(read).isEqualTo(tuskValue);
  }

  private static byte[] hadoopBytes(Class<?> type, Object value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new org.apache.hadoop.io.ObjectWritable(type, value).write(new DataOutputStream(out));
    return out.toByteArray();
  }

  private static byte[] tuskBytes(Class<?> type, Object value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ObjectWritable(type, value).write(new DataOutputStream(out));
    return out.toByteArray();
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}

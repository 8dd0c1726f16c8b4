package io.tusk.rpc.writable;

import static io.tusk.rpc.writable.Bytes.hex;
import static io.tusk.rpc.writable.Bytes.in;
import static io.tusk.rpc.writable.Bytes.utf8Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.writable.Fixtures.Color;
import io.tusk.rpc.writable.Fixtures.Point;
import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InvocationTest {

  /** A protocol whose fingerprint Hadoop 3.4.2 computes as 0xeedb332e (with Hadoop's Text). */
  interface EchoProtocol {
    String echo(String s);

    int add(int a, int b);

    byte[] blob(byte[] bytes, Text text);

    void nothing();
  }

  interface Mixed {
    Point mixed(Point p, Color c, String[] names, long[] numbers, Writable w, Integer boxed);
  }

  private static final String HEADER_ECHO = "0000000000000002" // rpcVersion 2
      + utf8Hex("org.example.Echo") // protocol name
      + "%s" // method name
      + "0000000000000001" // clientVersion 1
      + "eedb332e"; // clientMethodsHash

  private static Invocation decode(byte[] bytes) throws IOException {
    Invocation invocation = new Invocation();
    invocation.readFields(in(bytes));
    return invocation;
  }

  @Test
  void encodesEchoStringExactlyAsHadoop() throws Exception {
    Method echo = EchoProtocol.class.getMethod("echo", String.class);
    Invocation invocation = Invocation.forMethod(echo, new Object[] {"hi"}, "org.example.Echo", 1L);
    String expected = String.format(HEADER_ECHO, utf8Hex("echo"))
        + "00000001" // parameter count
        + utf8Hex("java.lang.String") + utf8Hex("hi");
    byte[] bytes = Bytes.of(invocation::write);
    assertThat(hex(bytes)).isEqualTo(expected);

    Invocation read = decode(bytes);
    assertThat(read.getRpcVersion()).isEqualTo(Invocation.WRITABLE_RPC_VERSION);
    assertThat(read.getProtocolName()).isEqualTo("org.example.Echo");
    assertThat(read.getMethodName()).isEqualTo("echo");
    assertThat(read.getClientVersion()).isEqualTo(1L);
    assertThat(read.getClientMethodsHash()).isEqualTo(0xeedb332e);
    assertThat(read.getParameterClasses()).containsExactly(String.class);
    assertThat(read.getParameters()).containsExactly("hi");
    assertThat(read.toString())
        .isEqualTo("echo(hi), rpc version=2, client version=1, methodsFingerPrint=" + 0xeedb332e);
  }

  @Test
  void encodesIntParametersAndNoParameters() throws NoSuchMethodException {
    Method add = EchoProtocol.class.getMethod("add", int.class, int.class);
    assertThat(hex(Bytes.of(Invocation.forMethod(add, new Object[] {1, 2}, "org.example.Echo", 1L)::write)))
        .isEqualTo(String.format(HEADER_ECHO, utf8Hex("add")) + "00000002"
            + utf8Hex("int") + "00000001" + utf8Hex("int") + "00000002");
    Method nothing = EchoProtocol.class.getMethod("nothing");
    assertThat(hex(Bytes.of(Invocation.forMethod(nothing, null, "org.example.Echo", 1L)::write)))
        .isEqualTo(String.format(HEADER_ECHO, utf8Hex("nothing")) + "00000000");
  }

  @Test
  void sendsPrimitiveArrayParametersCompactAndTextUnderHadoopsName() throws NoSuchMethodException {
    Method blob = EchoProtocol.class.getMethod("blob", byte[].class, Text.class);
    Invocation invocation = Invocation.forMethod(
        blob, new Object[] {new byte[] {9, 8}, new Text("t")}, "org.example.Echo", 1L);
    assertThat(hex(Bytes.of(invocation::write)))
        .isEqualTo(String.format(HEADER_ECHO, utf8Hex("blob")) + "00000002"
            + utf8Hex("org.apache.hadoop.io.ArrayPrimitiveWritable$Internal") + utf8Hex("byte")
            + "00000002" + "0908"
            + utf8Hex("org.apache.hadoop.io.Text") + utf8Hex("org.apache.hadoop.io.Text") + "01" + "74");
  }

  @Test
  void roundTripsMixedParametersIncludingNulls() throws Exception {
    Method mixed = Mixed.class.getMethod("mixed", Point.class, Color.class, String[].class,
        long[].class, Writable.class, Integer.class);
    Object[] args = {new Point(1, 2), Color.BLUE, new String[] {"a", null}, new long[] {7, -7},
        null, 9};
    Invocation read = decode(Bytes.of(Invocation.forMethod(mixed, args, "Mixed", 5L)::write));
    assertThat(read.getParameterClasses()).containsExactly(Point.class, Color.class,
        String[].class, long[].class, Writable.class, int.class);
    Object[] params = read.getParameters();
    assertThat(params[0]).isEqualTo(new Point(1, 2));
    assertThat(params[1]).isSameAs(Color.BLUE);
    assertThat((String[]) params[2]).containsExactly("a", null);
    assertThat((long[]) params[3]).containsExactly(7, -7);
    assertThat(params[4]).isNull();
    assertThat(params[5]).isEqualTo(9);
    assertThat(read.getClientMethodsHash()).isEqualTo(MethodFingerprints.getProtocolFingerprint(Mixed.class));
  }

  @Test
  void explicitConstructorCarriesWhatTheEngineChooses() throws IOException {
    // Hadoop sends version 0 and hash 0 for VersionedProtocol's own methods; the engine decides.
    Invocation invocation = new Invocation("p", 0L, 0, "getProtocolVersion",
        new Class<?>[] {String.class, long.class}, new Object[] {"p", 3L},
        WireClassResolver.defaultResolver());
    Invocation read = decode(Bytes.of(invocation::write));
    assertThat(read.getClientVersion()).isZero();
    assertThat(read.getClientMethodsHash()).isZero();
    assertThat(read.getParameters()).containsExactly("p", 3L);
  }

  @Test
  void gettersReturnCopies() {
    Invocation invocation = new Invocation("p", 1L, 0, "m", new Class<?>[] {int.class},
        new Object[] {1}, WireClassResolver.defaultResolver());
    invocation.getParameters()[0] = 2;
    invocation.getParameterClasses()[0] = long.class;
    assertThat(invocation.getParameters()).containsExactly(1);
    assertThat(invocation.getParameterClasses()).containsExactly(int.class);
  }

  @Test
  void rejectsArgumentCountThatDoesNotMatch() throws NoSuchMethodException {
    Method echo = EchoProtocol.class.getMethod("echo", String.class);
    assertThatThrownBy(() -> Invocation.forMethod(echo, new Object[0], "p", 1L))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("echo");
  }

  @Test
  void unsupportedParameterTypeNamesIt() throws NoSuchMethodException {
    Invocation invocation = new Invocation("p", 1L, 0, "m", new Class<?>[] {java.util.Map.class},
        new Object[] {java.util.Map.of()}, WireClassResolver.defaultResolver());
    assertThatThrownBy(() -> Bytes.of(invocation::write))
        .hasRootCauseInstanceOf(UnsupportedTypeException.class)
        .hasMessageContaining("java.util.Map");
  }

  @Test
  void rejectsImpossibleParameterCount() {
    String header = String.format(HEADER_ECHO, utf8Hex("echo"));
    assertThatThrownBy(() -> decode(Bytes.fromHex(header + "ffffffff")))
        .isInstanceOf(IOException.class).hasMessageContaining("parameter count -1");
    assertThatThrownBy(() -> decode(Bytes.fromHex(header + "00010000")))
        .isInstanceOf(IOException.class).hasMessageContaining("parameter count 65536");
  }

  @Test
  void everyTruncationFailsWithEof() throws NoSuchMethodException {
    Method blob = EchoProtocol.class.getMethod("blob", byte[].class, Text.class);
    byte[] full = Bytes.of(Invocation.forMethod(
        blob, new Object[] {new byte[] {1, 2, 3}, new Text("x")}, "org.example.Echo", 1L)::write);
    for (int length = 0; length < full.length; length++) {
      byte[] cut = Arrays.copyOf(full, length);
      assertThatThrownBy(() -> decode(cut)).as("cut to %d of %d", length, full.length)
          .isInstanceOf(EOFException.class);
    }
  }
}

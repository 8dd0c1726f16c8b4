package io.tusk.rpc.interop.writable;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.RPC;
import io.tusk.rpc.interop.writable.CalculatorProtocols.DualPoint;
import io.tusk.rpc.interop.writable.CalculatorProtocols.HadoopCalculator;
import io.tusk.rpc.interop.writable.CalculatorProtocols.Shade;
import io.tusk.rpc.interop.writable.CalculatorProtocols.TuskCalculator;
import io.tusk.rpc.writable.Invocation;
import io.tusk.rpc.writable.MethodFingerprints;
import io.tusk.rpc.writable.WireClassResolver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.apache.hadoop.ipc.HadoopWritableRpcAccess;
import org.apache.hadoop.ipc.HadoopWritableRpcAccess.DecodedInvocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A request of Tusk's Writable engine ({@link Invocation}) is, byte for byte, what Hadoop 3.4.2's
 * {@code WritableRpcEngine$Invocation} writes for the same call, and Hadoop's server-side
 * {@code readFields} reads Tusk's bytes back to the same values (and Tusk reads Hadoop's).
 * Request parameters use Hadoop's compact primitive arrays ({@code ArrayPrimitiveWritable$Internal}).
 */
@Timeout(30)
class InvocationBytesMatchHadoopWritableRpcEngineTest {

  /** One call: the method name, then Hadoop's arguments and Tusk's arguments (same values). */
  static Stream<Arguments> calls() {
    return Stream.of(
        call("add", new Object[] {7, -3}, new Object[] {7, -3}),
        call("multiply", new Object[] {1L << 40, -5L}, new Object[] {1L << 40, -5L}),
        call("not", new Object[] {true}, new Object[] {true}),
        call("half", new Object[] {-0.75}, new Object[] {-0.75}),
        call("concat", new Object[] {"héllo ", "€𝄞"}, new Object[] {"héllo ", "€𝄞"}),
        call("totalLength", new Object[] {new String[] {"to", "", null, "bé"}},
            new Object[] {new String[] {"to", "", null, "bé"}}),
        call("reverse", new Object[] {new byte[] {1, -2, 127}},
            new Object[] {new byte[] {1, -2, 127}}),
        call("squares", new Object[] {new int[] {3, -1, Integer.MAX_VALUE}},
            new Object[] {new int[] {3, -1, Integer.MAX_VALUE}}),
        call("shout", new Object[] {new org.apache.hadoop.io.Text("quiet ünïcode")},
            new Object[] {new io.tusk.rpc.writable.Text("quiet ünïcode")}),
        call("describe", new Object[] {null, null, null}, new Object[] {null, null, null}),
        call("describe", new Object[] {"s", new org.apache.hadoop.io.Text("t"), new byte[0]},
            new Object[] {"s", new io.tusk.rpc.writable.Text("t"), new byte[0]}),
        call("darker", new Object[] {Shade.MEDIUM}, new Object[] {Shade.MEDIUM}),
        call("move", new Object[] {new DualPoint(1, -2), 10},
            new Object[] {new DualPoint(1, -2), 10}),
        call("remember", new Object[] {"kept"}, new Object[] {"kept"}),
        call("recall", new Object[0], new Object[0]),
        call("overQuota", new Object[] {9L}, new Object[] {9L}));
  }

  private static Arguments call(String method, Object[] hadoopArgs, Object[] tuskArgs) {
    return Arguments.of(method, hadoopArgs, tuskArgs);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("calls")
  void tuskWritesHadoopsInvocationBytes(String name, Object[] hadoopArgs, Object[] tuskArgs)
      throws Exception {
    byte[] hadoop = HadoopWritableRpcAccess.writeInvocation(method(HadoopCalculator.class, name),
        hadoopArgs);
    byte[] tusk = tuskBytes(method(TuskCalculator.class, name), tuskArgs);

    assertThat(hex(tusk)).isEqualTo(hex(hadoop));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("calls")
  void hadoopReadsTuskInvocationBackToTheSameCall(String name, Object[] hadoopArgs,
      Object[] tuskArgs) throws Exception {
    Method hadoopMethod = method(HadoopCalculator.class, name);

    DecodedInvocation read = HadoopWritableRpcAccess.readInvocation(
        tuskBytes(method(TuskCalculator.class, name), tuskArgs));

    assertThat(read.rpcVersion()).isEqualTo(2L);
    assertThat(read.protocolName()).isEqualTo(CalculatorProtocols.NAME);
    assertThat(read.methodName()).isEqualTo(name);
    assertThat(read.clientVersion()).isEqualTo(CalculatorProtocols.VERSION);
    assertThat(read.clientMethodsHash()).isEqualTo(
        HadoopWritableRpcAccess.fingerprint(HadoopCalculator.class.getMethods()));
    assertThat(read.parameterClasses()).containsExactly(hadoopMethod.getParameterTypes());
    assertThat(read.parameters()).isEqualTo(hadoopArgs);
    assertThat(hadoopMethod.getDeclaringClass().getMethod(name, read.parameterClasses()))
        .as("Hadoop's server finds the method with the classes it read").isEqualTo(hadoopMethod);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("calls")
  void tuskReadsHadoopInvocationBackToTheSameCall(String name, Object[] hadoopArgs,
      Object[] tuskArgs) throws Exception {
    Method tuskMethod = method(TuskCalculator.class, name);
    Invocation read = new Invocation();

    read.readFields(new DataInputStream(new ByteArrayInputStream(
        HadoopWritableRpcAccess.writeInvocation(method(HadoopCalculator.class, name),
            hadoopArgs))));

    assertThat(read.getProtocolName()).isEqualTo(CalculatorProtocols.NAME);
    assertThat(read.getMethodName()).isEqualTo(name);
    assertThat(read.getClientVersion()).isEqualTo(CalculatorProtocols.VERSION);
    assertThat(read.getParameterClasses()).containsExactly(tuskMethod.getParameterTypes());
    assertThat(read.getParameters()).isEqualTo(tuskArgs);
  }

  @Test
  void versionedProtocolMethodsCarryHadoopsNameVersionZeroAndHashZero() throws Exception {
    Method hadoopMethod = org.apache.hadoop.ipc.VersionedProtocol.class.getMethod(
        "getProtocolSignature", String.class, long.class, int.class);
    Method tuskMethod = io.tusk.rpc.VersionedProtocol.class.getMethod(
        "getProtocolSignature", String.class, long.class, int.class);
    Object[] args = {CalculatorProtocols.NAME, CalculatorProtocols.VERSION, 12345};

    byte[] hadoop = HadoopWritableRpcAccess.writeInvocation(hadoopMethod, args);
    // what Tusk's proxy sends for a VersionedProtocol method (ClientMethod): Hadoop's name, 0, 0
    byte[] tusk = bytes(new Invocation(WireClassResolver.VERSIONED_PROTOCOL_NAME, 0, 0,
        tuskMethod.getName(), tuskMethod.getParameterTypes(), args,
        WireClassResolver.defaultResolver()));

    assertThat(hex(tusk)).isEqualTo(hex(hadoop));
  }

  @Test
  void methodFingerprintsOfBothInterfacesAgree() {
    for (Method tusk : TuskCalculator.class.getMethods()) {
      Method hadoop = Arrays.stream(HadoopCalculator.class.getMethods())
          .filter(m -> m.getName().equals(tusk.getName())).findFirst().orElseThrow();
      assertThat(MethodFingerprints.getFingerprint(tusk)).as(tusk.getName())
          .isEqualTo(HadoopWritableRpcAccess.fingerprint(hadoop));
    }
    assertThat(MethodFingerprints.getProtocolFingerprint(TuskCalculator.class)).isEqualTo(
        HadoopWritableRpcAccess.fingerprint(HadoopCalculator.class.getMethods()));
  }

  @Test
  void rpcCoreProtocolSignatureFingerprintsAgreeWithHadoop() {
    for (Method tusk : TuskCalculator.class.getMethods()) {
      Method hadoop = Arrays.stream(HadoopCalculator.class.getMethods())
          .filter(m -> m.getName().equals(tusk.getName())).findFirst().orElseThrow();
      assertThat(io.tusk.rpc.ProtocolSignature.fingerprint(tusk)).as(tusk.getName())
          .isEqualTo(HadoopWritableRpcAccess.fingerprint(hadoop));
    }
    assertThat(io.tusk.rpc.ProtocolSignature.fingerprint(TuskCalculator.class.getMethods()))
        .isEqualTo(HadoopWritableRpcAccess.fingerprint(
            HadoopCalculator.class.getMethods()));
  }

  private static byte[] tuskBytes(Method method, Object[] args) throws IOException {
    return bytes(Invocation.forMethod(method, args, RPC.getProtocolName(TuskCalculator.class),
        RPC.getProtocolVersion(TuskCalculator.class)));
  }

  private static byte[] bytes(Invocation invocation) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    invocation.write(new DataOutputStream(out));
    return out.toByteArray();
  }

  static Method method(Class<?> type, String name) {
    return Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(type.getName() + " has no method " + name));
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}

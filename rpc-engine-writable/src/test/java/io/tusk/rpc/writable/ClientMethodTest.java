package io.tusk.rpc.writable;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.RPC;
import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcServerException;
import io.tusk.rpc.VersionedProtocol;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.writable.TestProtocols.Base;
import io.tusk.rpc.writable.TestProtocols.Child;
import io.tusk.rpc.writable.TestProtocols.Everything;
import io.tusk.rpc.writable.TestProtocols.QuotaExceededException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the client side sends per method and how it maps failures, without a network. */
@Timeout(10)
@ExtendWith(LeakCheck.class)
class ClientMethodTest {
  /** {@code tusk.client.writable.unwrap-remote-exceptions=true}: Tusk's behaviour before issue 11. */
  private static final boolean UNWRAP = true;
  /** The default: remote errors are thrown as the RemoteException itself, as Hadoop's are. */
  private static final boolean AS_HADOOP = false;

  private static Invocation sent(Method method, Class<?> protocol, long clientVersion,
      Object... args) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ClientMethod.of(method).request(args, protocol, clientVersion)
        .writeTo(new DataOutputStream(bytes));
    Invocation read = new Invocation();
    read.readFields(new DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
    return read;
  }

  @Test
  void aClientsCacheHoldsOneEntryPerMethodAndCachesAreNotShared() throws Exception {
    Method add = Everything.class.getMethod("add", int.class, int.class);
    ClientMethod.Cache one = new ClientMethod.Cache();
    ClientMethod.Cache other = new ClientMethod.Cache();

    assertThat(one.get(add)).isSameAs(one.get(add));
    assertThat(other.get(add)).isNotSameAs(one.get(add));
    try (io.tusk.rpc.client.Client client = io.tusk.rpc.client.Client.builder()
        .name(io.tusk.rpc.testing.Threads.uniqueName("cm")).build()) {
      assertThat(ClientMethod.Cache.of(client)).isSameAs(ClientMethod.Cache.of(client));
    }
  }

  @Test
  void carriesTheDeclaringProtocolsNameVersionAndHadoopFingerprint() throws Exception {
    Invocation call = sent(Everything.class.getMethod("add", int.class, int.class),
        Everything.class, 3, 1, 2);

    assertThat(call.getRpcVersion()).isEqualTo(2);
    assertThat(call.getProtocolName()).isEqualTo("tusk.test.Everything");
    assertThat(call.getMethodName()).isEqualTo("add");
    assertThat(call.getClientVersion()).isEqualTo(3);
    assertThat(call.getClientMethodsHash())
        .isEqualTo(MethodFingerprints.getFingerprint(Everything.class.getMethods()));
    assertThat(call.getParameters()).containsExactly(1, 2);
  }

  @Test
  void inheritedMethodsCarryTheirOwnProtocolsVersion() throws Exception {
    Invocation call = sent(Base.class.getMethod("base", String.class), Child.class, 2, "x");

    assertThat(call.getProtocolName()).isEqualTo(Base.class.getName());
    assertThat(call.getClientVersion()).isEqualTo(1);
  }

  @Test
  void versionedProtocolMethodsCarryHadoopsNameAndZeroes() throws Exception {
    Invocation call = sent(VersionedProtocol.class.getMethod("getProtocolVersion", String.class,
        long.class), Child.class, 2, "p", 2L);

    assertThat(call.getProtocolName()).isEqualTo("org.apache.hadoop.ipc.VersionedProtocol");
    assertThat(call.getClientVersion()).isZero();
    assertThat(call.getClientMethodsHash()).isZero();
  }

  @Test
  void fingerprintsNameProtocolSignatureAsHadoopDoes() throws Exception {
    Method m = VersionedProtocol.class.getMethod("getProtocolSignature", String.class,
        long.class, int.class);
    int hadoop = "getProtocolSignature".hashCode()
        + 31 * "org.apache.hadoop.ipc.ProtocolSignature".hashCode();
    hadoop = 31 * hadoop ^ "java.lang.String".hashCode();
    hadoop = 31 * hadoop ^ "long".hashCode();
    hadoop = 31 * hadoop ^ "int".hashCode();

    assertThat(MethodFingerprints.getFingerprint(m)).isEqualTo(hadoop);
  }

  @Test
  void withUnwrappingRemoteExceptionsBecomeADeclaredTypeByName() throws Exception {
    ClientMethod m = ClientMethod.of(Everything.class.getMethod("overQuota", long.class));
    RemoteException re = new RemoteException(QuotaExceededException.class.getName(), "too big",
        RpcErrorCodeProto.ERROR_APPLICATION);

    assertThat(m.translate(re, "srv", UNWRAP)).isExactlyInstanceOf(QuotaExceededException.class)
        .hasMessage("too big").hasCause(re);
  }

  @Test
  void withUnwrappingRemoteExceptionsBecomeLoadableSubclassesOfADeclaredType() throws Exception {
    ClientMethod m = ClientMethod.of(Everything.class.getMethod("failWith", String.class));
    RemoteException notFound = new RemoteException(FileNotFoundException.class.getName(), "gone");
    RemoteException framework = new RemoteException("org.apache.hadoop.ipc.RpcServerException",
        "Unknown protocol: x");
    RemoteException unknown = new RemoteException("com.example.Unloadable", "?");

    assertThat(m.translate(notFound, "srv", UNWRAP)).isExactlyInstanceOf(FileNotFoundException.class)
        .hasMessage("gone");
    assertThat(m.translate(framework, "srv", UNWRAP)).isExactlyInstanceOf(RpcServerException.class)
        .hasMessage("Unknown protocol: x");
    assertThat(m.translate(unknown, "srv", UNWRAP)).isSameAs(unknown);
  }

  @Test
  void withUnwrappingVersionMismatchBecomesRpcVersionMismatch() throws Exception {
    ClientMethod m = ClientMethod.of(Everything.class.getMethod("add", int.class, int.class));
    RemoteException re = new RemoteException("org.apache.hadoop.ipc.RPC$VersionMismatch",
        "Protocol p version mismatch. (client = 1, server = 2)");

    assertThat(m.translate(re, "srv", UNWRAP)).isExactlyInstanceOf(RPC.VersionMismatch.class)
        .hasMessageContaining("(client = 1, server = 2)");
  }

  @Test
  void byDefaultRemoteExceptionsAreThrownAsTheyCameEvenWhenADeclaredTypeMatches()
      throws Exception {
    ClientMethod m = ClientMethod.of(Everything.class.getMethod("overQuota", long.class));
    RemoteException declared = new RemoteException(QuotaExceededException.class.getName(),
        "too big", RpcErrorCodeProto.ERROR_APPLICATION);
    RemoteException mismatch = new RemoteException("org.apache.hadoop.ipc.RPC$VersionMismatch",
        "Protocol p version mismatch. (client = 1, server = 2)");

    assertThat(m.translate(declared, "srv", AS_HADOOP)).isSameAs(declared);
    assertThat(m.translate(mismatch, "srv", AS_HADOOP)).isSameAs(mismatch);
    // what ported Hadoop code then does
    assertThat(declared.unwrapRemoteException(QuotaExceededException.class))
        .isExactlyInstanceOf(QuotaExceededException.class).hasMessage("too big");
  }

  @Test
  void byDefaultARemoteExceptionOfAMethodNotDeclaringIoExceptionIsThrownAsIsAsHadoopDoes()
      throws Exception {
    // The proxy then throws it inside an UndeclaredThrowableException (see WritableEndToEndTest).
    ClientMethod m = ClientMethod.of(Everything.class.getMethod("undeclaredFailure",
        String.class));
    RemoteException re = new RemoteException("java.io.IOException", "x");

    assertThat(m.translate(re, "srv", AS_HADOOP)).isSameAs(re);
    assertThat(m.translate(re, "srv", UNWRAP)).isExactlyInstanceOf(UncheckedIOException.class)
        .hasCause(re);
  }

  @Test
  void undeclaredCheckedFailuresBecomeUncheckedWithAClearMessage() throws Exception {
    ClientMethod m = ClientMethod.of(Everything.class.getMethod("undeclaredFailure",
        String.class));
    ConnectException refused = new ConnectException("Connection refused");

    Throwable t = m.translate(refused, "127.0.0.1:9", AS_HADOOP);

    assertThat(t).isExactlyInstanceOf(UncheckedIOException.class).hasCause(refused)
        .hasMessageContaining("Everything.undeclaredFailure on 127.0.0.1:9 failed");
  }

  @Test
  void runtimeExceptionsPassThrough() throws Exception {
    ClientMethod m = ClientMethod.of(Everything.class.getMethod("add", int.class, int.class));
    IllegalStateException e = new IllegalStateException("x");

    assertThat(m.translate(e, "srv", AS_HADOOP)).isSameAs(e);
  }
}

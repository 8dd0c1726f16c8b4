package io.tusk.rpc.writable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tusk.rpc.RPC;
import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcServerException;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import io.tusk.rpc.writable.TestProtocols.Color;
import io.tusk.rpc.writable.TestProtocols.Point;
import io.tusk.rpc.writable.TestProtocols.Everything;
import io.tusk.rpc.writable.TestProtocols.EverythingImpl;
import io.tusk.rpc.writable.TestProtocols.EverythingPlus;
import io.tusk.rpc.writable.TestProtocols.Nobody;
import io.tusk.rpc.writable.TestProtocols.QuotaExceededException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Writable engine through the RPC facade over loopback: every type, every error. */
@Timeout(60)
@ExtendWith(LeakCheck.class)
@LeakCheck.ClassScope // one server and proxy for all tests, opened in @BeforeAll
class WritableEndToEndTest {
  private static String name;
  private static RPC.Server server;
  private static InetSocketAddress address;
  private static Configuration conf;
  private static Everything proxy;
  /** Made with {@code tusk.client.writable.unwrap-remote-exceptions=true}. */
  private static Configuration unwrappingConf;
  private static Everything unwrapping;

  @BeforeAll
  static void start() throws IOException {
    name = Threads.uniqueName("wee");
    conf = new Configuration().setInt(IpcKeys.CLIENT_CONNECT_MAX_RETRIES, 0);
    server = new RPC.Builder(conf).setProtocol(Everything.class)
        .setInstance(new EverythingImpl("srv")).setNumHandlers(2).setVerbose(true)
        .setName(name).build().start();
    address = new InetSocketAddress("127.0.0.1", server.getPort());
    proxy = RPC.getProxy(Everything.class, 3, address, conf);
    unwrappingConf = new Configuration(conf)
        .setBoolean(IpcKeys.CLIENT_WRITABLE_UNWRAP_REMOTE_EXCEPTIONS, true);
    unwrapping = RPC.getProxy(Everything.class, 3, address, unwrappingConf);
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      RPC.stopProxy(proxy);
    }
    if (unwrapping != null) {
      RPC.stopProxy(unwrapping);
    }
    if (server != null) {
      server.stop();
    }
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
    Threads.assertNoneAlive("tusk-rpc-client-receiver@127.0.0.1:" + address.getPort(),
        Duration.ofSeconds(10));
  }

  @Test
  void primitivesTravelBothWays() throws IOException {
    assertThat(proxy.not(true)).isFalse();
    assertThat(proxy.nextByte((byte) 127)).isEqualTo((byte) -128);
    assertThat(proxy.upper('q')).isEqualTo('Q');
    assertThat(proxy.negate((short) 12)).isEqualTo((short) -12);
    assertThat(proxy.add(40, 2)).isEqualTo(42);
    assertThat(proxy.multiply(1L << 40, 3)).isEqualTo(3L << 40);
    assertThat(proxy.half(3f)).isEqualTo(1.5f);
    assertThat(proxy.twice(-0.25)).isEqualTo(-0.5);
  }

  @Test
  void boxesTravelAsPrimitives() throws IOException {
    assertThat(proxy.boxedAdd(5, 6L)).isEqualTo(11);
    assertThat(proxy.boxedNot(Boolean.FALSE)).isTrue();
  }

  @Test
  void stringsAndNulls() throws IOException {
    assertThat(proxy.concat("a", "é€")).isEqualTo("srv:aé€");
    assertThat(proxy.describeNulls(null, null, null)).isEqualTo("s=null,t=null,values=null");
    assertThat(proxy.nullString()).isNull();
  }

  @Test
  void arrays() throws IOException {
    assertThat(proxy.reverse(new int[] {1, 2, 3})).containsExactly(3, 2, 1);
    assertThat(proxy.reverse(new int[0])).isEmpty();
    assertThat(proxy.reverseBytes(new byte[] {1, 2, 3, 4})).containsExactly(4, 3, 2, 1);
    assertThat(proxy.split("to be or")).containsExactly("to", "be", "or");
    Writable[] texts = proxy.asTexts(new String[] {"x", "yz"});
    assertThat(texts).containsExactly(new Text("x"), new Text("yz"));
    assertThat(proxy.totalLength(new Writable[] {new Text("abc"), new Text("de")})).isEqualTo(5);
  }

  @Test
  void enumsTextAndCustomWritables() throws IOException {
    assertThat(proxy.next(Color.BLUE)).isEqualTo(Color.RED);
    assertThat(proxy.shout(new Text("hey"))).isEqualTo(new Text("HEY!"));
    assertThat(proxy.move(new Point(1, 2), 10)).isEqualTo(new Point(11, 2));
  }

  @Test
  void voidMethods() throws IOException {
    proxy.remember("kept");
    assertThat(proxy.recall()).isEqualTo("kept");
  }

  @Test
  void anExceptionOfTheImplementationArrivesAsTheRemoteExceptionAsFromHadoop() {
    Throwable t = catchThrowable(() -> proxy.failWith("no such file: /x"));

    assertThat(t).isInstanceOfSatisfying(RemoteException.class, re -> {
      assertThat(re.getClassName()).isEqualTo("java.io.FileNotFoundException");
      assertThat(re.getMessage()).isEqualTo("no such file: /x");
      assertThat(re.getErrorCode()).isEqualTo(RpcErrorCodeProto.ERROR_APPLICATION);
      assertThat(re.unwrapRemoteException(FileNotFoundException.class))
          .isExactlyInstanceOf(FileNotFoundException.class).hasMessage("no such file: /x")
          .hasCause(re);
    });
  }

  @Test
  void withUnwrappingAnExceptionOfTheImplementationUnwrapsToItsClassAndMessage() {
    Throwable t = catchThrowable(() -> unwrapping.failWith("no such file: /x"));

    assertThat(t).isExactlyInstanceOf(FileNotFoundException.class).hasMessage("no such file: /x");
    assertThat(t.getCause()).isInstanceOfSatisfying(RemoteException.class, re -> {
      assertThat(re.getClassName()).isEqualTo("java.io.FileNotFoundException");
      assertThat(re.getMessage()).isEqualTo("no such file: /x");
      assertThat(re.getErrorCode()).isEqualTo(RpcErrorCodeProto.ERROR_APPLICATION);
    });
  }

  @Test
  void aMethodDeclaringOnlyItsOwnExceptionGetsTheRemoteOneUndeclaredOrWithUnwrappingItself() {
    // overQuota declares QuotaExceededException, not IOException: Hadoop's proxy then throws the
    // RemoteException inside an UndeclaredThrowableException, and so does Tusk's by default.
    Throwable remote = catchThrowable(() -> proxy.overQuota(7));
    Throwable unwrapped = catchThrowable(() -> unwrapping.overQuota(7));

    assertThat(remote).isExactlyInstanceOf(UndeclaredThrowableException.class);
    assertThat(remote.getCause()).isInstanceOfSatisfying(RemoteException.class, re -> {
      assertThat(re.getClassName()).isEqualTo(QuotaExceededException.class.getName());
      assertThat(re).hasMessage("quota exceeded by 7 bytes");
    });
    assertThat(unwrapped).isExactlyInstanceOf(QuotaExceededException.class)
        .hasMessage("quota exceeded by 7 bytes");
  }

  @Test
  void uncheckedExceptionsArriveAsHadoopSendsThem() {
    Throwable remote = catchThrowable(() -> proxy.failUnchecked("broken"));
    Throwable unwrapped = catchThrowable(() -> unwrapping.failUnchecked("broken"));

    assertThat(remote).isExactlyInstanceOf(RemoteException.class)
        .hasMessage("java.lang.IllegalStateException: broken");
    assertThat(((RemoteException) remote).getClassName()).isEqualTo("java.io.IOException");
    assertThat(unwrapped).isExactlyInstanceOf(IOException.class)
        .hasMessage("java.lang.IllegalStateException: broken");
  }

  @Test
  void aRemoteFailureOfAMethodWithoutIoExceptionIsUndeclaredAsInHadoop() {
    Throwable t = catchThrowable(() -> proxy.undeclaredFailure("nope"));

    assertThat(t).isExactlyInstanceOf(UndeclaredThrowableException.class);
    assertThat(t.getCause()).isExactlyInstanceOf(RemoteException.class)
        .hasMessage("java.lang.UnsupportedOperationException: nope");
  }

  @Test
  void withUnwrappingFailuresOfMethodsWithoutIoExceptionAreUncheckedAndClear() {
    Throwable t = catchThrowable(() -> unwrapping.undeclaredFailure("nope"));

    assertThat(t).isExactlyInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("Everything.undeclaredFailure")
        .hasMessageContaining("java.lang.UnsupportedOperationException: nope");
  }

  @Test
  void unknownProtocolWrongVersionAndUnknownMethodAreDistinctRemoteExceptions()
      throws IOException {
    Nobody nobody = RPC.getProxy(Nobody.class, 1, address, conf);
    Everything wrongVersion = RPC.getProxy(Everything.class, 99, address, conf);
    EverythingPlus plus = RPC.getProxy(EverythingPlus.class, 3, address, conf);
    try {
      Throwable unknownProtocol = catchThrowable(nobody::hello);
      Throwable mismatch = catchThrowable(() -> wrongVersion.add(1, 2));
      Throwable unknownMethod = catchThrowable(() -> plus.missing(1));

      assertThat(unknownProtocol).isExactlyInstanceOf(RemoteException.class)
          .hasMessage("Unknown protocol: tusk.test.Nobody");
      assertThat(((RemoteException) unknownProtocol).getClassName())
          .isEqualTo("org.apache.hadoop.ipc.RpcServerException");
      assertThat(mismatch).isExactlyInstanceOf(RemoteException.class).hasMessage(
          "Protocol tusk.test.Everything version mismatch. (client = 99, server = 3)");
      RemoteException mismatchRemote = (RemoteException) mismatch;
      assertThat(mismatchRemote.getClassName())
          .isEqualTo("org.apache.hadoop.ipc.RPC$VersionMismatch");
      assertThat(mismatchRemote.getErrorCode())
          .isEqualTo(RpcErrorCodeProto.ERROR_RPC_VERSION_MISMATCH);
      assertThat(mismatchRemote.unwrapRemoteException(RPC.VersionMismatch.class))
          .isExactlyInstanceOf(RPC.VersionMismatch.class);
      assertThat(unknownMethod).isExactlyInstanceOf(RemoteException.class).hasMessage(
          "java.lang.NoSuchMethodException: " + Everything.class.getName() + ".missing(int)");
      assertThat(((RemoteException) unknownMethod).getErrorCode())
          .isEqualTo(RpcErrorCodeProto.ERROR_APPLICATION);
    } finally {
      RPC.stopProxy(nobody);
      RPC.stopProxy(wrongVersion);
      RPC.stopProxy(plus);
    }
    assertThat(proxy.add(1, 1)).as("the connection survives errors").isEqualTo(2);
  }

  @Test
  void withUnwrappingUnknownProtocolWrongVersionAndUnknownMethodAreDistinct()
      throws IOException {
    Nobody nobody = RPC.getProxy(Nobody.class, 1, address, unwrappingConf);
    Everything wrongVersion = RPC.getProxy(Everything.class, 99, address, unwrappingConf);
    EverythingPlus plus = RPC.getProxy(EverythingPlus.class, 3, address, unwrappingConf);
    try {
      Throwable unknownProtocol = catchThrowable(nobody::hello);
      Throwable mismatch = catchThrowable(() -> wrongVersion.add(1, 2));
      Throwable unknownMethod = catchThrowable(() -> plus.missing(1));

      assertThat(unknownProtocol).isExactlyInstanceOf(RpcServerException.class)
          .hasMessage("Unknown protocol: tusk.test.Nobody");
      assertThat(((RemoteException) unknownProtocol.getCause()).getClassName())
          .isEqualTo("org.apache.hadoop.ipc.RpcServerException");
      assertThat(mismatch).isExactlyInstanceOf(RPC.VersionMismatch.class).hasMessage(
          "Protocol tusk.test.Everything version mismatch. (client = 99, server = 3)");
      assertThat(((RemoteException) mismatch.getCause()).getErrorCode())
          .isEqualTo(RpcErrorCodeProto.ERROR_RPC_VERSION_MISMATCH);
      assertThat(unknownMethod).isExactlyInstanceOf(IOException.class).hasMessage(
          "java.lang.NoSuchMethodException: " + Everything.class.getName() + ".missing(int)");
      assertThat(((RemoteException) unknownMethod.getCause()).getErrorCode())
          .isEqualTo(RpcErrorCodeProto.ERROR_APPLICATION);
    } finally {
      RPC.stopProxy(nobody);
      RPC.stopProxy(wrongVersion);
      RPC.stopProxy(plus);
    }
  }

  @Test
  void objectMethodsAreAnsweredLocally() {
    assertThat(proxy.toString()).contains("tusk.test.Everything").contains("version 3");
    assertThat(proxy).isEqualTo(proxy);
    assertThat(proxy.hashCode()).isEqualTo(proxy.hashCode());
  }
}

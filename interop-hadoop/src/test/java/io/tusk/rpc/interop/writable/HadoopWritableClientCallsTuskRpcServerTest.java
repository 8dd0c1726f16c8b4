package io.tusk.rpc.interop.writable;

import static io.tusk.rpc.interop.writable.CalculatorProtocols.NAME;
import static io.tusk.rpc.interop.writable.CalculatorProtocols.VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tusk.rpc.interop.writable.CalculatorProtocols.DualPoint;
import io.tusk.rpc.interop.writable.CalculatorProtocols.HadoopCalculator;
import io.tusk.rpc.interop.writable.CalculatorProtocols.HadoopCalculatorV99;
import io.tusk.rpc.interop.writable.CalculatorProtocols.HadoopCalculatorWithExtra;
import io.tusk.rpc.interop.writable.CalculatorProtocols.QuotaExceededException;
import io.tusk.rpc.interop.writable.CalculatorProtocols.Shade;
import io.tusk.rpc.interop.writable.CalculatorProtocols.TuskCalculator;
import io.tusk.rpc.interop.writable.CalculatorProtocols.TuskCalculatorImpl;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.ipc.HadoopWritableRpcAccess;
import org.apache.hadoop.ipc.ProtocolProxy;
import org.apache.hadoop.ipc.ProtocolSignature;
import org.apache.hadoop.ipc.RPC;
import org.apache.hadoop.ipc.RemoteException;
import org.apache.hadoop.ipc.WritableRpcEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hadoop 3.4.2's Writable client ({@code org.apache.hadoop.ipc.RPC.getProxy} with
 * {@code WritableRpcEngine}) calls {@link TuskCalculator} served by Tusk's {@code RPC.Builder}
 * server, through its own interface {@link HadoopCalculator} (Hadoop types, same protocol name and
 * version): values arrive intact both ways, and errors arrive as Hadoop's own server sends them.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
@LeakCheck.ClassScope // one server and client for all tests, opened in @BeforeAll
class HadoopWritableClientCallsTuskRpcServerTest {
  private static String serverName;
  private static io.tusk.rpc.RPC.Server server;
  private static InetSocketAddress address;
  private static Configuration conf;
  private static HadoopCalculator proxy;

  @BeforeAll
  static void start() throws IOException {
    serverName = Threads.uniqueName("tusk-writable-for-hadoop");
    server = new io.tusk.rpc.RPC.Builder(new io.tusk.rpc.conf.Configuration())
        .setProtocol(TuskCalculator.class).setInstance(new TuskCalculatorImpl())
        .setBindAddress("127.0.0.1").setPort(0).setNumHandlers(2).setName(serverName)
        .build().start();
    address = new InetSocketAddress("127.0.0.1", server.getPort());
    conf = new Configuration();
    conf.setInt("ipc.client.connect.max.retries", 0);
    // A Hadoop connection that closes (idle, or after a version mismatch) leaves its "IPC
    // Parameter Sending Thread" polling for up to maxidletime (10 s by default) before it sees the
    // close; a short idle time ends it well inside LeakCheck's patience.
    conf.setInt("ipc.client.connection.maxidletime", 200);
    for (Class<?> protocol : new Class<?>[] {HadoopCalculator.class,
        HadoopCalculatorWithExtra.class, HadoopCalculatorV99.class}) {
      RPC.setProtocolEngine(conf, protocol, WritableRpcEngine.class);
    }
    proxy = RPC.getProxy(HadoopCalculator.class, VERSION, address, conf);
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      RPC.stopProxy(proxy);
    }
    if (server != null) {
      server.stop();
    }
    Threads.assertNoneAlive(serverName, Duration.ofSeconds(10));
  }

  @Test
  void primitivesTravelBothWays() throws IOException {
    assertThat(proxy.not(true)).isFalse();
    assertThat(proxy.add(40, 2)).isEqualTo(42);
    assertThat(proxy.multiply(1L << 40, -3)).isEqualTo(-3L << 40);
    assertThat(proxy.half(-0.5)).isEqualTo(-0.25);
  }

  @Test
  void stringsArraysAndNulls() throws IOException {
    assertThat(proxy.concat("hé", "€𝄞")).isEqualTo("hé€𝄞");
    assertThat(proxy.split("to be or")).containsExactly("to", "be", "or");
    assertThat(proxy.totalLength(new String[] {"ab", "", "cde"})).isEqualTo(5);
    assertThat(proxy.reverse(new byte[] {1, 2, 3})).containsExactly(3, 2, 1);
    assertThat(proxy.squares(new int[] {3, -4})).containsExactly(9, 16);
    assertThat(proxy.squares(new int[0])).isEmpty();
    assertThat(proxy.describe(null, null, null)).isEqualTo("s=null,t=null,b=null");
    assertThat(proxy.describe("s", new Text("t"), new byte[] {9})).isEqualTo("s=s,t=t,b=[9]");
    assertThat(proxy.nothing()).isNull();
  }

  @Test
  void textEnumsAndCustomWritables() throws IOException {
    assertThat(proxy.shout(new Text("hey ü"))).isEqualTo(new Text("HEY Ü!"));
    assertThat(proxy.darker(Shade.LIGHT)).isEqualTo(Shade.MEDIUM);
    assertThat(proxy.move(new DualPoint(1, 2), 10)).isEqualTo(new DualPoint(11, 2));
  }

  @Test
  void voidMethods() throws IOException {
    proxy.remember("kept by tusk");
    assertThat(proxy.recall()).isEqualTo("kept by tusk");
  }

  @Test
  void applicationExceptionArrivesWithTuskClassNameAndMessage() throws IOException {
    RemoteException e = catchThrowableOfType(() -> proxy.overQuota(7), RemoteException.class);

    assertThat(e.getClassName()).isEqualTo(QuotaExceededException.class.getName());
    assertThat(e.getMessage().lines().findFirst()).contains("quota exceeded by 7 bytes");
    assertThat(e.getErrorCode()).isEqualTo(
        org.apache.hadoop.ipc.protobuf.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto
            .ERROR_APPLICATION);
    assertThat(e.unwrapRemoteException(QuotaExceededException.class))
        .isExactlyInstanceOf(QuotaExceededException.class)
        .hasMessageStartingWith("quota exceeded by 7 bytes");
    assertThat(proxy.add(1, 1)).as("the connection survives").isEqualTo(2);
  }

  @Test
  void uncheckedExceptionArrivesAsIoExceptionWithItsToString() {
    RemoteException e = catchThrowableOfType(() -> proxy.failUnchecked("broken"),
        RemoteException.class);

    assertThat(e.getClassName()).isEqualTo("java.io.IOException");
    assertThat(e.getMessage().lines().findFirst())
        .contains("java.lang.IllegalStateException: broken");
  }

  @Test
  void unknownMethodArrivesAsHadoopsNoSuchMethodIoException() throws IOException {
    HadoopCalculatorWithExtra extra = RPC.getProxy(HadoopCalculatorWithExtra.class, VERSION,
        address, conf);
    try {
      RemoteException e = catchThrowableOfType(() -> extra.missing(1), RemoteException.class);

      assertThat(e.getClassName()).isEqualTo("java.io.IOException");
      assertThat(e.getMessage().lines().findFirst()).contains("java.lang.NoSuchMethodException: "
          + TuskCalculator.class.getName() + ".missing(int)");
    } finally {
      RPC.stopProxy(extra);
    }
  }

  @Test
  void versionNotHostedIsHadoopsVersionMismatch() throws IOException {
    HadoopCalculatorV99 v99 = RPC.getProxy(HadoopCalculatorV99.class,
        CalculatorProtocols.UNHOSTED_VERSION, address, conf);
    try {
      RemoteException e = catchThrowableOfType(() -> v99.add(1, 2), RemoteException.class);

      assertThat(e.getClassName()).isEqualTo(RPC.VersionMismatch.class.getName());
      assertThat(e.getMessage().lines().findFirst()).contains("Protocol " + NAME
          + " version mismatch. (client = 99, server = 4)");
      assertThat(e.getErrorCode()).isEqualTo(
          org.apache.hadoop.ipc.protobuf.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto
              .ERROR_RPC_VERSION_MISMATCH);
    } finally {
      RPC.stopProxy(v99);
    }
  }

  @Test
  void versionedProtocolMethodsReachTheTuskImplementation() throws IOException {
    assertThat(proxy.getProtocolVersion(NAME, VERSION)).isEqualTo(VERSION);

    ProtocolSignature signature = proxy.getProtocolSignature(NAME, VERSION,
        HadoopWritableRpcAccess.fingerprint(HadoopCalculator.class.getMethods()));

    assertThat(signature.getVersion()).isEqualTo(VERSION);
  }

  @Test
  void hadoopProtocolProxyFindsEveryMethodInTuskSignature() throws IOException {
    ProtocolProxy<HadoopCalculator> pp = RPC.getProtocolProxy(HadoopCalculator.class, VERSION,
        address, conf);
    try {
      for (java.lang.reflect.Method m : HadoopCalculator.class.getDeclaredMethods()) {
        assertThat(pp.isMethodSupported(m.getName(), m.getParameterTypes()))
            .as(m.getName()).isTrue();
      }
    } finally {
      RPC.stopProxy(pp.getProxy());
    }
  }

  @Test
  void hadoopRpcClientUtilThroughAWritableProxyAsksTuskServer() throws IOException {
    // Hadoop's RpcClientUtil reuses the Writable proxy's connection for ProtocolMetaInfoPB and
    // caches the answers JVM-wide by server address, protocol class and kind.
    RPC.RpcKind writable = RPC.RpcKind.RPC_WRITABLE;

    assertThat(org.apache.hadoop.ipc.RpcClientUtil.isMethodSupported(proxy,
        HadoopCalculator.class, writable, VERSION, "shout")).isTrue();
    assertThat(org.apache.hadoop.ipc.RpcClientUtil.isMethodSupported(proxy,
        HadoopCalculatorWithExtra.class, writable, VERSION, "missing"))
        .as("Tusk leaves out what it does not serve").isFalse();
    assertThat(org.apache.hadoop.ipc.RpcClientUtil.isMethodSupported(proxy,
        HadoopCalculator.class, writable, CalculatorProtocols.UNHOSTED_VERSION, "shout"))
        .isFalse();
    assertThat(org.apache.hadoop.ipc.RpcClientUtil.isMethodSupported(proxy,
        HadoopCalculator.class, RPC.RpcKind.RPC_PROTOCOL_BUFFER, VERSION, "shout")).isFalse();
  }
}

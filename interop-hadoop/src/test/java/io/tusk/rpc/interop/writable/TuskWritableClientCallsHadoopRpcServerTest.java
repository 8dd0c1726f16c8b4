package io.tusk.rpc.interop.writable;

import static io.tusk.rpc.interop.writable.CalculatorProtocols.NAME;
import static io.tusk.rpc.interop.writable.CalculatorProtocols.VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tusk.rpc.ProtocolProxy;
import io.tusk.rpc.ProtocolSignature;
import io.tusk.rpc.RPC;
import io.tusk.rpc.RemoteException;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.interop.writable.CalculatorProtocols.DualPoint;
import io.tusk.rpc.interop.writable.CalculatorProtocols.HadoopCalculator;
import io.tusk.rpc.interop.writable.CalculatorProtocols.HadoopCalculatorImpl;
import io.tusk.rpc.interop.writable.CalculatorProtocols.QuotaExceededException;
import io.tusk.rpc.interop.writable.CalculatorProtocols.Shade;
import io.tusk.rpc.interop.writable.CalculatorProtocols.TuskCalculator;
import io.tusk.rpc.interop.writable.CalculatorProtocols.TuskCalculatorPlus;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import io.tusk.rpc.writable.MethodFingerprints;
import io.tusk.rpc.writable.Text;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.apache.hadoop.ipc.WritableRpcEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tusk's client ({@code io.tusk.rpc.RPC.getProxy}, Writable engine, the default) calls
 * {@link HadoopCalculator} served by Hadoop 3.4.2's {@code RPC.Builder} server with
 * {@code WritableRpcEngine}, through Tusk's twin interface {@link TuskCalculator}.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
@LeakCheck.ClassScope // one server and client for all tests, opened in @BeforeAll
class TuskWritableClientCallsHadoopRpcServerTest {
  private static org.apache.hadoop.ipc.RPC.Server hadoop;
  private static InetSocketAddress address;
  private static Configuration conf;
  private static TuskCalculator proxy;
  /** Made with {@code tusk.client.writable.unwrap-remote-exceptions=true}. */
  private static Configuration unwrappingConf;
  private static TuskCalculator unwrapping;

  @BeforeAll
  static void start() throws IOException {
    org.apache.hadoop.conf.Configuration hconf = new org.apache.hadoop.conf.Configuration();
    org.apache.hadoop.ipc.RPC.setProtocolEngine(hconf, HadoopCalculator.class,
        WritableRpcEngine.class);
    hadoop = new org.apache.hadoop.ipc.RPC.Builder(hconf).setProtocol(HadoopCalculator.class)
        .setInstance(new HadoopCalculatorImpl()).setBindAddress("127.0.0.1").setPort(0)
        .setNumHandlers(2).build();
    hadoop.start();
    address = new InetSocketAddress("127.0.0.1", hadoop.getListenerAddress().getPort());
    conf = new Configuration().setInt(IpcKeys.CLIENT_CONNECT_MAX_RETRIES, 0);
    proxy = RPC.getProxy(TuskCalculator.class, VERSION, address, conf);
    unwrappingConf = new Configuration(conf)
        .setBoolean(IpcKeys.CLIENT_WRITABLE_UNWRAP_REMOTE_EXCEPTIONS, true);
    unwrapping = RPC.getProxy(TuskCalculator.class, VERSION, address, unwrappingConf);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (proxy != null) {
      RPC.stopProxy(proxy);
    }
    if (unwrapping != null) {
      RPC.stopProxy(unwrapping);
    }
    if (hadoop != null) {
      hadoop.stop();
      hadoop.join();
    }
    Threads.assertNoneAlive("tusk-rpc-client-receiver@127.0.0.1:" + address.getPort(),
        Duration.ofSeconds(10));
  }

  @Test
  void primitivesTravelBothWays() throws IOException {
    assertThat(proxy.not(false)).isTrue();
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
    assertThat(proxy.darker(Shade.DARK)).isEqualTo(Shade.DARK);
    assertThat(proxy.move(new DualPoint(1, 2), -10)).isEqualTo(new DualPoint(-9, 2));
  }

  @Test
  void voidMethods() throws IOException {
    proxy.remember("kept by hadoop");
    assertThat(proxy.recall()).isEqualTo("kept by hadoop");
  }

  @Test
  void hadoopApplicationExceptionArrivesAsRemoteExceptionAsInHadoopsClient() {
    Throwable t = catchThrowable(() -> proxy.overQuota(7));

    assertThat(t).isInstanceOfSatisfying(RemoteException.class, re -> {
      assertThat(re.getClassName()).isEqualTo(QuotaExceededException.class.getName());
      assertThat(re.getErrorCode()).isEqualTo(RpcErrorCodeProto.ERROR_APPLICATION);
      assertThat(re.getMessage().lines().findFirst()).contains("quota exceeded by 7 bytes");
      assertThat(re.unwrapRemoteException(QuotaExceededException.class))
          .isExactlyInstanceOf(QuotaExceededException.class).hasCause(re);
    });
  }

  @Test
  void withUnwrappingHadoopApplicationExceptionUnwrapsToTheDeclaredType() {
    Throwable t = catchThrowable(() -> unwrapping.overQuota(7));

    assertThat(t).isExactlyInstanceOf(QuotaExceededException.class);
    assertThat(t.getMessage().lines().findFirst()).contains("quota exceeded by 7 bytes");
    assertThat(t.getCause()).isInstanceOfSatisfying(RemoteException.class, re -> {
      assertThat(re.getClassName()).isEqualTo(QuotaExceededException.class.getName());
      assertThat(re.getErrorCode()).isEqualTo(RpcErrorCodeProto.ERROR_APPLICATION);
    });
  }

  @Test
  void hadoopSendsUncheckedExceptionsAsIoExceptionWithToString() {
    Throwable t = catchThrowable(() -> proxy.failUnchecked("broken"));
    Throwable unwrapped = catchThrowable(() -> unwrapping.failUnchecked("broken"));

    assertThat(t).isExactlyInstanceOf(RemoteException.class);
    assertThat(t.getMessage().lines().findFirst())
        .contains("java.lang.IllegalStateException: broken");
    assertThat(((RemoteException) t).getClassName()).isEqualTo("java.io.IOException");
    assertThat(unwrapped).isExactlyInstanceOf(IOException.class);
    assertThat(((RemoteException) unwrapped.getCause()).getClassName())
        .isEqualTo("java.io.IOException");
  }

  @Test
  void versionNotHostedIsVersionMismatch() throws IOException {
    TuskCalculator v99 = RPC.getProxy(TuskCalculator.class, CalculatorProtocols.UNHOSTED_VERSION,
        address, conf);
    TuskCalculator v99Unwrapping = RPC.getProxy(TuskCalculator.class,
        CalculatorProtocols.UNHOSTED_VERSION, address, unwrappingConf);
    try {
      Throwable t = catchThrowable(() -> v99.add(1, 2));
      Throwable unwrapped = catchThrowable(() -> v99Unwrapping.add(1, 2));

      assertThat(t).isInstanceOfSatisfying(RemoteException.class, re -> {
        assertThat(re.getClassName()).isEqualTo("org.apache.hadoop.ipc.RPC$VersionMismatch");
        assertThat(re.getErrorCode()).isEqualTo(RpcErrorCodeProto.ERROR_RPC_VERSION_MISMATCH);
        assertThat(re.unwrapRemoteException(RPC.VersionMismatch.class))
            .isExactlyInstanceOf(RPC.VersionMismatch.class);
      });
      assertThat(unwrapped).isExactlyInstanceOf(RPC.VersionMismatch.class);
      assertThat(unwrapped.getMessage().lines().findFirst()).contains("Protocol " + NAME
          + " version mismatch. (client = 99, server = 4)");
      assertThat(unwrapped.getCause()).isInstanceOfSatisfying(RemoteException.class, re -> {
        assertThat(re.getClassName()).isEqualTo("org.apache.hadoop.ipc.RPC$VersionMismatch");
        assertThat(re.getErrorCode()).isEqualTo(RpcErrorCodeProto.ERROR_RPC_VERSION_MISMATCH);
      });
    } finally {
      RPC.stopProxy(v99);
      RPC.stopProxy(v99Unwrapping);
    }
  }

  @Test
  void unknownMethodIsHadoopsNoSuchMethodIoException() throws IOException {
    TuskCalculatorPlus plus = RPC.getProxy(TuskCalculatorPlus.class, VERSION, address, conf);
    try {
      Throwable t = catchThrowable(() -> plus.missing(1));

      assertThat(t).isExactlyInstanceOf(RemoteException.class);
      assertThat(((RemoteException) t).getClassName()).isEqualTo("java.io.IOException");
      assertThat(t.getMessage().lines().findFirst()).contains("java.lang.NoSuchMethodException: "
          + HadoopCalculator.class.getName() + ".missing(int)");
    } finally {
      RPC.stopProxy(plus);
    }
  }

  @Test
  void versionedProtocolMethodsReachHadoopsImplementation() throws IOException {
    assertThat(proxy.getProtocolVersion(NAME, VERSION)).isEqualTo(VERSION);

    ProtocolSignature signature = proxy.getProtocolSignature(NAME, VERSION,
        MethodFingerprints.getProtocolFingerprint(TuskCalculator.class));

    assertThat(signature.version()).isEqualTo(VERSION);
    assertThat(signature.methods()).as("Hadoop found Tusk's fingerprint equal to its own").isNull();
  }

  @Test
  void protocolProxyAsksHadoopWhichMethodsItHas() throws IOException {
    ProtocolProxy<TuskCalculatorPlus> pp = RPC.getProtocolProxy(TuskCalculatorPlus.class,
        VERSION, address, conf);
    try {
      assertThat(pp.isMethodSupported("missing", int.class)).isFalse();
      for (java.lang.reflect.Method m : TuskCalculator.class.getMethods()) {
        assertThat(pp.isMethodSupported(m.getName(), m.getParameterTypes()))
            .as(m.getName()).isTrue();
      }
    } finally {
      RPC.stopProxy(pp.getProxy());
    }
  }

  @Test
  void protocolProxyOfTheSameInterfaceSeesEveryMethod() throws IOException {
    ProtocolProxy<TuskCalculator> pp = RPC.getProtocolProxy(TuskCalculator.class, VERSION,
        address, conf);
    try {
      assertThat(pp.isMethodSupported("shout", Text.class)).isTrue();
      assertThat(pp.isMethodSupported("add", int.class, int.class)).isTrue();
    } finally {
      RPC.stopProxy(pp.getProxy());
    }
  }
}

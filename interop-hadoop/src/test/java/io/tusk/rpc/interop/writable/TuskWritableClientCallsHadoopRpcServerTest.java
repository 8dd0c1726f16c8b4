package io.tusk.rpc.interop.writable;

import static io.tusk.rpc.interop.writable.CalculatorProtocols.NAME;
import static io.tusk.rpc.interop.writable.CalculatorProtocols.UNHOSTED_VERSION;
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
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.interop.writable.CalculatorProtocols.HadoopCalculatorWithExtra;
import io.tusk.rpc.interop.writable.CalculatorProtocols.TuskCalculatorImpl;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureResponseProto;
import io.tusk.rpc.protobuf.ProtobufHelper;
import io.tusk.rpc.protobuf.ProtobufRpcEngine;
import io.tusk.rpc.protobuf.ProtocolMetaInfoPB;
import io.tusk.rpc.protobuf.RpcClientUtil;
import java.util.ArrayList;
import java.util.List;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import io.tusk.rpc.writable.MethodFingerprints;
import io.tusk.rpc.writable.Text;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.apache.hadoop.ipc.ProtobufRpcEngine2;
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

  /**
   * Runs {@code check} with a Tusk Writable proxy to Hadoop's server and one to a Tusk server
   * hosting the same protocol ({@link TuskCalculatorImpl}), labelled by server. Hadoop's server
   * signs the first class asked about under a protocol name, JVM-wide: its cache is cleared
   * before and after.
   */
  private static void sideBySide(SideBySideCheck check) throws IOException {
    // Hadoop registers the invoker of RPC_PROTOCOL_BUFFER, which its meta-info service needs,
    // JVM-wide when ProtobufRpcEngine2 loads: until then a JVM with only Writable servers
    // answers meta-info calls "Unknown rpc kind" (a NameNode always has protobuf servers).
    try {
      Class.forName(ProtobufRpcEngine2.class.getName(), true,
          ProtobufRpcEngine2.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
    String name = Threads.uniqueName("tusk-writable-side-by-side");
    org.apache.hadoop.ipc.ProtocolSignature.resetCache();
    try (RPC.Server tusk = new RPC.Builder(conf).setProtocol(TuskCalculator.class)
        .setInstance(new TuskCalculatorImpl()).setBindAddress("127.0.0.1").setPort(0)
        .setNumHandlers(1).setName(name).build().start()) {
      TuskCalculator toTusk = RPC.getProxy(TuskCalculator.class, VERSION,
          new InetSocketAddress("127.0.0.1", tusk.getPort()), conf);
      try {
        check.run("Hadoop's server", proxy);
        check.run("Tusk's server", toTusk);
      } finally {
        RPC.stopProxy(toTusk);
      }
    } finally {
      org.apache.hadoop.ipc.ProtocolSignature.resetCache();
    }
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
  }

  /** One check against one server. */
  private interface SideBySideCheck {
    void run(String server, TuskCalculator proxy) throws IOException;
  }

  @Test
  void rpcClientUtilThroughAWritableProxyAnswersAlikeForHadoopsServerAndTusks()
      throws IOException {
    RpcKind writable = RpcKind.RPC_WRITABLE;
    sideBySide((server, proxy) -> {
      // Asked by the class Hadoop's server can name (Hadoop's @ProtocolInfo), fingerprinted with
      // Hadoop's parameter types on every side.
      assertThat(RpcClientUtil.isMethodSupported(proxy, HadoopCalculator.class, writable,
          VERSION, "shout")).as(server).isTrue();
      assertThat(RpcClientUtil.isMethodSupported(proxy, HadoopCalculatorWithExtra.class,
          writable, VERSION, "missing")).as(server + ": a method it does not serve").isFalse();
      assertThat(RpcClientUtil.isMethodSupported(proxy, HadoopCalculator.class, writable,
          UNHOSTED_VERSION, "shout")).as(server + ": an unhosted version").isFalse();
      assertThat(RpcClientUtil.isMethodSupported(proxy, HadoopCalculator.class,
          RpcKind.RPC_PROTOCOL_BUFFER, VERSION, "shout")).as(server + ": another kind")
          .isFalse();
    });
  }

  @Test
  void tuskAndHadoopServersSignTheWritableProtocolIdenticallyAndSorted() throws IOException {
    List<GetProtocolSignatureResponseProto> answers = new ArrayList<>();
    sideBySide((server, proxy) -> {
      // Tusk's meta-info proxy on the Writable proxy's own connection and client.
      ProtocolMetaInfoPB metaInfo = new ProtobufRpcEngine().getProxy(ProtocolMetaInfoPB.class,
          ProtocolMetaInfoPB.VERSION, RPC.getConnectionIdForProxy(proxy), RPC.getClient(proxy));
      answers.add(ProtobufHelper.ipc(() -> metaInfo.getProtocolSignature(null,
          GetProtocolSignatureRequestProto.newBuilder()
              .setProtocol(HadoopCalculator.class.getName())
              .setRpcKind(RpcKind.RPC_WRITABLE.name()).build())));
    });

    assertThat(answers.get(1)).isEqualTo(answers.get(0));
    assertThat(answers.get(0).getProtocolSignatureList()).hasSize(1);
    assertThat(answers.get(0).getProtocolSignature(0).getVersion()).isEqualTo(VERSION);
    assertThat(answers.get(0).getProtocolSignature(0).getMethodsList()).isSorted()
        .doesNotHaveDuplicates().hasSize(HadoopCalculator.class.getMethods().length);
  }
}


package io.tusk.rpc.interop.writable;

import static io.tusk.rpc.interop.writable.CalculatorProtocols.VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.interop.writable.CalculatorProtocols.HadoopCalculator;
import io.tusk.rpc.interop.writable.CalculatorProtocols.HadoopCalculatorImpl;
import io.tusk.rpc.interop.writable.CalculatorProtocols.QuotaExceededException;
import io.tusk.rpc.interop.writable.CalculatorProtocols.TuskCalculator;
import io.tusk.rpc.interop.writable.CalculatorProtocols.TuskCalculatorImpl;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.ipc.WritableRpcEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a Writable proxy throws for a server-side exception, Tusk's and Hadoop 3.4.2's side by
 * side: Tusk's proxy and Hadoop's, each against Tusk's server and Hadoop's. All four throw the
 * remote exception itself (Tusk's {@code io.tusk.rpc.RemoteException} or Hadoop's
 * {@code org.apache.hadoop.ipc.RemoteException}), with the same class name and the same message
 * (first line: Hadoop's server appends its stack trace), so that code ported from Hadoop that
 * catches {@code RemoteException} and calls {@code unwrapRemoteException(...)} works unchanged.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
@LeakCheck.ClassScope // two servers and four proxies for all tests, opened in @BeforeAll
class WritableRemoteExceptionsMatchHadoopTest {
  private static String tuskServerName;
  private static io.tusk.rpc.RPC.Server tuskServer;
  private static org.apache.hadoop.ipc.RPC.Server hadoopServer;
  private static InetSocketAddress tuskAddress;
  private static InetSocketAddress hadoopAddress;
  private static final List<Object> tuskProxies = new ArrayList<>();
  private static final List<Object> hadoopProxies = new ArrayList<>();
  private static TuskCalculator tuskToTusk;
  private static TuskCalculator tuskToHadoop;
  private static HadoopCalculator hadoopToTusk;
  private static HadoopCalculator hadoopToHadoop;

  @BeforeAll
  static void start() throws IOException {
    tuskServerName = Threads.uniqueName("tusk-writable-errors");
    tuskServer = new io.tusk.rpc.RPC.Builder(new io.tusk.rpc.conf.Configuration())
        .setProtocol(TuskCalculator.class).setInstance(new TuskCalculatorImpl())
        .setBindAddress("127.0.0.1").setPort(0).setNumHandlers(1).setName(tuskServerName)
        .build().start();
    tuskAddress = new InetSocketAddress("127.0.0.1", tuskServer.getPort());

    org.apache.hadoop.conf.Configuration hconf = new org.apache.hadoop.conf.Configuration();
    hconf.setInt("ipc.client.connect.max.retries", 0);
    // see HadoopWritableClientCallsTuskRpcServerTest: ends Hadoop's sending thread promptly
    hconf.setInt("ipc.client.connection.maxidletime", 200);
    org.apache.hadoop.ipc.RPC.setProtocolEngine(hconf, HadoopCalculator.class,
        WritableRpcEngine.class);
    hadoopServer = new org.apache.hadoop.ipc.RPC.Builder(hconf)
        .setProtocol(HadoopCalculator.class).setInstance(new HadoopCalculatorImpl())
        .setBindAddress("127.0.0.1").setPort(0).setNumHandlers(1).build();
    hadoopServer.start();
    hadoopAddress = new InetSocketAddress("127.0.0.1", hadoopServer.getListenerAddress().getPort());

    // The default: no tusk.client.writable.unwrap-remote-exceptions.
    io.tusk.rpc.conf.Configuration conf = new io.tusk.rpc.conf.Configuration()
        .setInt(IpcKeys.CLIENT_CONNECT_MAX_RETRIES, 0);
    tuskToTusk = tusk(io.tusk.rpc.RPC.getProxy(TuskCalculator.class, VERSION, tuskAddress, conf));
    tuskToHadoop = tusk(io.tusk.rpc.RPC.getProxy(TuskCalculator.class, VERSION, hadoopAddress,
        conf));
    hadoopToTusk = hadoop(org.apache.hadoop.ipc.RPC.getProxy(HadoopCalculator.class, VERSION,
        tuskAddress, hconf));
    hadoopToHadoop = hadoop(org.apache.hadoop.ipc.RPC.getProxy(HadoopCalculator.class, VERSION,
        hadoopAddress, hconf));
  }

  private static <T> T tusk(T proxy) {
    tuskProxies.add(proxy);
    return proxy;
  }

  private static <T> T hadoop(T proxy) {
    hadoopProxies.add(proxy);
    return proxy;
  }

  @AfterAll
  static void stop() throws InterruptedException {
    tuskProxies.forEach(io.tusk.rpc.RPC::stopProxy);
    hadoopProxies.forEach(org.apache.hadoop.ipc.RPC::stopProxy);
    if (tuskServer != null) {
      tuskServer.stop();
    }
    if (hadoopServer != null) {
      hadoopServer.stop();
      hadoopServer.join();
    }
    Threads.assertNoneAlive(tuskServerName, Duration.ofSeconds(10));
  }

  /** A remote failure as both libraries report it: class name and first message line. */
  private record Seen(String kind, String className, String firstLine) {}

  private static Seen seen(Throwable t) {
    if (t instanceof io.tusk.rpc.RemoteException re) {
      return new Seen("tusk RemoteException", re.getClassName(), firstLine(re.getMessage()));
    }
    if (t instanceof org.apache.hadoop.ipc.RemoteException re) {
      return new Seen("hadoop RemoteException", re.getClassName(), firstLine(re.getMessage()));
    }
    throw new AssertionError("not a RemoteException: " + t, t);
  }

  private static String firstLine(String message) {
    return message.lines().findFirst().orElse("");
  }

  @Test
  void anApplicationExceptionIsTheSameRemoteExceptionFromEveryPairing() {
    Seen tt = seen(catchThrowable(() -> tuskToTusk.overQuota(7)));
    Seen th = seen(catchThrowable(() -> tuskToHadoop.overQuota(7)));
    Seen ht = seen(catchThrowable(() -> hadoopToTusk.overQuota(7)));
    Seen hh = seen(catchThrowable(() -> hadoopToHadoop.overQuota(7)));

    assertThat(hh).isEqualTo(new Seen("hadoop RemoteException",
        QuotaExceededException.class.getName(), "quota exceeded by 7 bytes"));
    assertThat(ht).as("Hadoop's client against Tusk's server").isEqualTo(hh);
    assertThat(th).as("Tusk's client against Hadoop's server").isEqualTo(
        new Seen("tusk RemoteException", hh.className(), hh.firstLine()));
    assertThat(tt).isEqualTo(th);
  }

  @Test
  void anUncheckedExceptionIsTheSameRemoteIoExceptionFromEveryPairing() {
    Seen tt = seen(catchThrowable(() -> tuskToTusk.failUnchecked("broken")));
    Seen th = seen(catchThrowable(() -> tuskToHadoop.failUnchecked("broken")));
    Seen ht = seen(catchThrowable(() -> hadoopToTusk.failUnchecked("broken")));
    Seen hh = seen(catchThrowable(() -> hadoopToHadoop.failUnchecked("broken")));

    assertThat(hh).isEqualTo(new Seen("hadoop RemoteException", "java.io.IOException",
        "java.lang.IllegalStateException: broken"));
    assertThat(ht).isEqualTo(hh);
    assertThat(th).isEqualTo(new Seen("tusk RemoteException", hh.className(), hh.firstLine()));
    assertThat(tt).isEqualTo(th);
  }

  @Test
  void portedHadoopCodeThatUnwrapsGetsTheSameTypeFromTuskAsFromHadoop() throws IOException {
    IOException fromHadoop = unwrapAsHadoopCodeDoes(hadoopToHadoop);
    IOException fromTusk = unwrapAsPortedCodeDoes(tuskToHadoop);

    assertThat(fromHadoop).isExactlyInstanceOf(QuotaExceededException.class);
    assertThat(fromTusk).isExactlyInstanceOf(QuotaExceededException.class);
    assertThat(firstLine(fromTusk.getMessage())).isEqualTo(firstLine(fromHadoop.getMessage()));
    assertThat(tuskToHadoop.add(1, 1)).as("the connection survives").isEqualTo(2);
  }

  /** The usual Hadoop idiom. */
  private static IOException unwrapAsHadoopCodeDoes(HadoopCalculator proxy) throws IOException {
    try {
      proxy.overQuota(3);
      throw new AssertionError("overQuota did not fail");
    } catch (org.apache.hadoop.ipc.RemoteException e) {
      return e.unwrapRemoteException(QuotaExceededException.class);
    }
  }

  /** The same idiom, with Tusk's types: what ported code looks like. */
  private static IOException unwrapAsPortedCodeDoes(TuskCalculator proxy) throws IOException {
    try {
      proxy.overQuota(3);
      throw new AssertionError("overQuota did not fail");
    } catch (io.tusk.rpc.RemoteException e) {
      return e.unwrapRemoteException(QuotaExceededException.class);
    }
  }
}

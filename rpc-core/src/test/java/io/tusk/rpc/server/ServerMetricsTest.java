package io.tusk.rpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tusk.rpc.RemoteException;
import io.tusk.rpc.testing.Await;
import io.tusk.rpc.testing.EchoEngine;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.LoopbackPair;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Per-call metrics, their JMX face and the slow-call log, over a real server and client. */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class ServerMetricsTest {
  private final String name = Threads.uniqueName("metrics");
  private LoopbackPair pair;
  private Server server;

  private void start(Server.Builder builder) throws IOException {
    pair = LoopbackPair.start(name, builder.engine(EchoEngine.registration()), "echo");
    server = pair.server();
  }

  @AfterEach
  void stop() {
    if (pair != null) {
      pair.close();
    }
  }

  private void call(String text) throws IOException {
    pair.call(text);
  }

  @Test
  void countsCallsAndErrorsPerMethod() throws IOException {
    start(Server.builder());
    for (int i = 0; i < 5; i++) {
      call("hello " + i);
    }
    assertThat(catchThrowable(() -> call("throw:boom"))).isInstanceOf(RemoteException.class);

    RpcMetrics metrics = server.metrics();
    assertThat(metrics.callsTotal()).isEqualTo(6);
    assertThat(metrics.errorsTotal()).isEqualTo(1);
    MethodStats stats = metrics.method("RPC_BUILTIN");
    assertThat(stats.getCalls()).isEqualTo(6);
    assertThat(stats.getErrors()).isEqualTo(1);
    assertThat(stats.getProcessingTimeTotalMicros()).isPositive();
    assertThat(stats.getProcessingTimeMaxMicros()).isLessThanOrEqualTo(
        stats.getProcessingTimeTotalMicros());
  }

  @Test
  void metricsAreVisibleOverJmxWhileTheServerRuns() throws Exception {
    start(Server.builder());
    call("one");
    call("two");
    MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
    ObjectName bean = new ObjectName("io.tusk.rpc:type=Server,name=" + ObjectName.quote(name
        + "-srv") + ",port=" + server.getListenerAddress().getPort());

    assertThat(mbs.getAttribute(bean, "CallsTotal")).isEqualTo(2L);
    assertThat(mbs.getAttribute(bean, "OpenConnections")).isEqualTo(1);
    // The writer counts a response after its last byte, which may be after the client read it.
    Await.until(Duration.ofSeconds(5), "two responses counted as written",
        () -> attribute(mbs, bean, "ResponsesWritten").equals(2L));
    assertThat((Double) mbs.getAttribute(bean, "ResponseTimeAvgMicros")).isPositive();
    TabularData methods = (TabularData) mbs.getAttribute(bean, "Methods");
    assertThat(methods.size()).isEqualTo(1);

    server.close();
    assertThat(mbs.isRegistered(bean)).isFalse();
  }

  private static Object attribute(MBeanServer mbs, ObjectName bean, String name) {
    try {
      return mbs.getAttribute(bean, name);
    } catch (Exception e) {
      throw new AssertionError("reading " + name + " of " + bean, e);
    }
  }

  @Test
  void slowCallsAreLoggedAndCounted() throws IOException {
    start(Server.builder().logSlowCalls(true).slowCallMinSamples(20)
        .slowCallThreshold(Duration.ofMillis(100)));
    for (int i = 0; i < 30; i++) {
      call("fast " + i);
    }
    assertThat(server.metrics().slowCalls()).isZero();

    call("sleep:300");

    assertThat(server.metrics().slowCalls()).isEqualTo(1);
  }
}

package io.tusk.rpc.writable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tusk.rpc.RPC;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proxies with different RPC timeouts share one cached client per socket factory, and each call
 * still ends at its own proxy's timeout.
 */
@Timeout(30)
@ExtendWith(LeakCheck.class)
class SharedClientTimeoutTest {
  /** A protocol with a method that never answers (until the test ends). */
  public interface Hanging {
    long versionID = 1L;

    String hang() throws IOException;

    String ping() throws IOException;
  }

  static final class HangingImpl implements Hanging {
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String hang() throws IOException {
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "late";
    }

    @Override
    public String ping() {
      return "pong";
    }
  }

  @Test
  void proxiesWithDifferentTimeoutsShareOneClientAndKeepTheirOwnDeadlines() throws Exception {
    String name = Threads.uniqueName("shared");
    Configuration conf = new Configuration();
    HangingImpl impl = new HangingImpl();
    RPC.Server server = new RPC.Builder(conf).setProtocol(Hanging.class).setInstance(impl)
        .setNumHandlers(4).setName(name).build().start();
    Hanging quick = null;
    Hanging patient = null;
    try {
      InetSocketAddress address = server.getListenerAddress();
      int before = RPC.clientCache().size();
      quick = RPC.getProxy(Hanging.class, 1, address, null, conf, SocketFactory.getDefault(),
          300);
      patient = RPC.getProxy(Hanging.class, 1, address, null, conf, SocketFactory.getDefault(),
          1500);
      assertThat(RPC.clientCache().size()).as("one client for both").isEqualTo(before + 1);
      assertThat(quick.ping() + patient.ping()).isEqualTo("pongpong");

      assertTimesOutWithin(quick, 300);
      assertTimesOutWithin(patient, 1500);
    } finally {
      impl.release.countDown();
      if (quick != null) {
        RPC.stopProxy(quick);
      }
      if (patient != null) {
        RPC.stopProxy(patient);
      }
      server.close();
    }
    Threads.assertNoneAlive(name, Duration.ofSeconds(5));
  }

  private static void assertTimesOutWithin(Hanging proxy, long timeoutMs) {
    long start = System.nanoTime();
    Throwable failure = catchThrowable(proxy::hang);
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(failure).isInstanceOf(java.net.SocketTimeoutException.class);
    assertThat(tookMs).as("ends at its own timeout").isBetween(timeoutMs - 50, timeoutMs + 1000);
  }
}

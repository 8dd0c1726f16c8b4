package io.tusk.rpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tusk.rpc.testing.Await;
import io.tusk.rpc.testing.FakeTicker;
import io.tusk.rpc.testing.ScriptedServer;
import io.tusk.rpc.testing.ScriptedServer.Action;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * The client's timers on a fake clock: pings, call deadlines (asynchronous and blocking) and
 * idle close fire when the client's {@link io.tusk.rpc.Ticker} passes them, and not before,
 * however much real time goes by. The timer thread still wakes on real time every 20 ms; each
 * "not yet" check waits many of those periods (bounded), each effect is awaited.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientFakeClockTimerTest extends ClientTestSupport {
  /** Many timer periods of real time. */
  private static final Duration SEVERAL_TICKS = Duration.ofMillis(400);

  private final FakeTicker clock = new FakeTicker();

  private Client fakeClockClient(TestInfo test, Duration rpcTimeout, Duration pingInterval,
      Duration maxIdleTime) {
    ClientOptions d = ClientOptions.defaults();
    return client(test, Client.builder().ticker(clock)
        .options(options(rpcTimeout, pingInterval, maxIdleTime, d.maxResponseLength())));
  }

  @Test
  void pingsWhenACallWaitsForThePingIntervalOnTheFakeClock(TestInfo test) throws Exception {
    Duration interval = Duration.ofSeconds(30);
    ScriptedServer server = server(test, request -> Action.none());
    Client client = fakeClockClient(test, Duration.ZERO, interval, Duration.ofMinutes(10));

    CompletableFuture<ByteBuffer> call = client.callAsync(KIND, text("wait"), id(server));
    server.awaitRequests(1, PROMPTLY);

    clock.advance(interval.minusMillis(1));
    assertThat(waitForPings(server, 1, SEVERAL_TICKS)).as("no ping under the interval").isFalse();

    clock.advance(Duration.ofMillis(2));
    server.awaitPings(1, PROMPTLY);
    // One ping per quiet interval: the next one waits for another interval of fake time.
    assertThat(waitForPings(server, 2, SEVERAL_TICKS)).isFalse();
    clock.advance(interval);
    server.awaitPings(2, PROMPTLY);

    assertThat(call).isNotDone();
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void asyncCallFailsWhenTheFakeClockPassesItsDeadlineNotBefore(TestInfo test) throws Exception {
    Duration timeout = Duration.ofSeconds(30);
    ScriptedServer server = server(test, request -> Action.none());
    Client client = fakeClockClient(test, timeout, Duration.ofMinutes(1), Duration.ofMinutes(10));

    CompletableFuture<ByteBuffer> call = client.callAsync(KIND, text("wait"), id(server));
    server.awaitRequests(1, PROMPTLY);

    clock.advance(timeout.minusMillis(1));
    assertThat(catchThrowable(() -> call.get(SEVERAL_TICKS.toMillis(), TimeUnit.MILLISECONDS)))
        .as("still waiting just under its deadline").isInstanceOf(TimeoutException.class);

    clock.advance(Duration.ofMillis(2));
    Throwable failure = catchThrowable(() -> call.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS));
    assertThat(failure).isInstanceOf(ExecutionException.class);
    assertThat(failure.getCause()).isInstanceOf(SocketTimeoutException.class)
        .hasMessageContaining("timed out after 30000 ms waiting for the response");
    // Nothing arrived from the server during the call: the connection is presumed dead.
    Await.until(() -> client.connectionCount() == 0, PROMPTLY, "the dead connection to close");
    assertThat(client.pendingCallCount()).isZero();
  }

  @Test
  void blockingCallFailsWhenTheFakeClockPassesItsTimeout(TestInfo test) throws Exception {
    Duration timeout = Duration.ofSeconds(30);
    ScriptedServer server = server(test, request -> Action.none());
    Client client = fakeClockClient(test, timeout, Duration.ofMinutes(1), Duration.ofMinutes(10));

    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        client.call(KIND, text("wait"), id(server));
        outcome.set(new AssertionError("the call returned"));
      } catch (Throwable t) {
        outcome.set(t);
      }
    }, client.name() + "-test-caller");
    caller.start();
    try {
      server.awaitRequests(1, PROMPTLY);
      clock.advance(timeout.minusMillis(1));
      caller.join(SEVERAL_TICKS.toMillis());
      assertThat(caller.isAlive()).as("still waiting just under its timeout").isTrue();

      clock.advance(Duration.ofMillis(2));
      caller.join(PROMPTLY.toMillis());
      assertThat(caller.isAlive()).as("woken by the timer, not by its own real-time wait")
          .isFalse();
      assertThat(outcome.get()).isInstanceOf(SocketTimeoutException.class)
          .hasMessageContaining("timed out after 30000 ms");
    } finally {
      caller.interrupt();
      caller.join(PROMPTLY.toMillis());
    }
  }

  @Test
  void idleConnectionClosesWhenTheFakeClockPassesTheMaxIdleTime(TestInfo test) throws Exception {
    Duration idle = Duration.ofSeconds(10);
    ScriptedServer server = server(test, request -> Action.reply("re:" + request.payloadText()));
    Client client = fakeClockClient(test, Duration.ofMinutes(1), Duration.ofMinutes(1), idle);

    assertThat(text(client.call(KIND, text("one"), id(server)))).isEqualTo("re:one");
    clock.advance(idle.minusMillis(1));
    assertThat(server.peers().get(0).ended()).isFalse();
    assertThat(waitUntil(() -> client.connectionCount() == 0, SEVERAL_TICKS))
        .as("open just under the idle time").isFalse();

    clock.advance(Duration.ofMillis(2));
    Await.until(() -> client.connectionCount() == 0, PROMPTLY, "the idle connection to close");
    server.peers().get(0).awaitEnded(PROMPTLY);
    assertThat(server.pingCount()).isZero();
  }

  /** True when the server has seen {@code count} pings within {@code timeout}. */
  private static boolean waitForPings(ScriptedServer server, int count, Duration timeout) {
    return waitUntil(() -> server.pingCount() >= count, timeout);
  }

  private static boolean waitUntil(java.util.function.BooleanSupplier condition,
      Duration timeout) {
    try {
      Await.until(condition, timeout, "a condition that should not come true");
      return true;
    } catch (AssertionError expected) {
      return false;
    }
  }
}

package io.tusk.rpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.testing.Await;
import io.tusk.rpc.testing.FakeTicker;
import io.tusk.rpc.testing.RawRpcPeer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's timers on a fake clock: idle close, the setup deadline and the write-stall
 * deadline fire when the server's {@link io.tusk.rpc.Ticker} passes them, and not before, however
 * much real time goes by. The reader still scans on real time (a quarter of the shortest of the
 * setup and frame-stall timeouts and the idle-scan interval, at least 5 ms), so each "still open"
 * check waits several scans (as a bounded read on the peer, which sees the close at once if it
 * comes) and each close is awaited. Idle close here is Hadoop's scan with threshold 0 and a 1 ms
 * scan interval, so that every advance of the clock starts a new scan round;
 * {@link ServerIdleScanTest} covers the threshold and the per-scan quota.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerFakeClockTimerTest extends ServerTestSupport {
  private static final int KIB = 1024;
  private static final int MIB = 1024 * KIB;
  /** 100 ms of real time between the reader's scans (see Reader's check period). */
  private static final Duration SHORT = Duration.ofMillis(400);
  /** Longer than {@link #SHORT} in real time, so that a real-time timer would have fired. */
  private static final Duration SEVERAL_SCANS = Duration.ofMillis(700);
  private static final Duration PROMPTLY = Duration.ofSeconds(5);

  private final FakeTicker clock = new FakeTicker();

  /** Hadoop's idle scan with threshold 0 (always), idle time {@link #SHORT}, every 1 ms. */
  private static final ServerOptions.IdleScan ALWAYS_SCAN =
      new ServerOptions.IdleScan(0, SHORT, Duration.ofMillis(1), 0);

  @Test
  void idleConnectionIsClosedWhenTheFakeClockPassesTheIdleTimeNotBefore() throws Exception {
    start(echoServer().ticker(clock).setupTimeout(SHORT).options(o -> o.idleScan(ALWAYS_SCAN)));
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "idler")) {
      assertThat(peer.roundTrip(1, "hello").text()).isEqualTo("hello");
      awaitCallEnded();

      clock.advance(SHORT.minusMillis(1));
      assertThat(staysOpen(peer)).as("open just under the idle timeout").isTrue();
      assertThat(server.getNumOpenConnections()).isEqualTo(1);

      clock.advance(Duration.ofMillis(2));
      assertThat(peer.readTimeout(PROMPTLY).awaitClosed()).as("closed past it").isTrue();
    }
    Await.until(PROMPTLY, "the idle connection to leave the table",
        () -> server.getNumOpenConnections() == 0);
    assertStillServes();
  }

  @Test
  void aRunningCallKeepsTheConnectionOpenAndTheIdleTimeCountsFromItsEnd() throws Exception {
    start(echoServer().ticker(clock).setupTimeout(SHORT).options(o -> o.idleScan(ALWAYS_SCAN)));
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "busy")) {
      peer.call(1, "sleep:600");
      // Its request bytes stay charged to the budget until the call ends: read and in flight.
      Await.until(PROMPTLY, "the call to be read", () -> server.getBufferedRequestBytes() > 0);
      clock.advance(SHORT.multipliedBy(10)); // far past the idle timeout while the call runs
      RawRpcPeer.Response answer = peer.readResponse();
      assertThat(answer.header().getStatus()).isEqualTo(RpcStatusProto.SUCCESS);
      assertThat(answer.text()).isEqualTo("sleep:600");
      awaitCallEnded();

      // The call's end is activity: the idle time starts again from it.
      assertThat(staysOpen(peer)).as("open right after its call ended").isTrue();
      clock.advance(SHORT.plusMillis(1));
      assertThat(peer.readTimeout(PROMPTLY).awaitClosed()).isTrue();
    }
    assertStillServes();
  }

  @Test
  void connectionThatDoesNotCompleteSetupIsClosedWhenTheFakeClockPassesTheDeadline()
      throws Exception {
    start(echoServer().ticker(clock).setupTimeout(SHORT).idleTimeout(Duration.ofMinutes(10)));
    try (RawRpcPeer silent = RawRpcPeer.connect(server.getListenerAddress());
        RawRpcPeer noContext = RawRpcPeer.connect(server.getListenerAddress());
        RawRpcPeer setUp = RawRpcPeer.handshake(server.getListenerAddress(), "ok")) {
      noContext.preamble();
      assertThat(setUp.roundTrip(1, "set up").text()).isEqualTo("set up");
      // The deadline counts from the accept: wait until all three are accepted.
      Await.until(PROMPTLY, "three accepted connections",
          () -> server.getNumOpenConnections() == 3);

      clock.advance(SHORT.minusMillis(1));
      assertThat(staysOpen(silent)).as("silent peer, just under the deadline").isTrue();
      assertThat(staysOpen(noContext)).as("preamble only, just under the deadline").isTrue();

      clock.advance(Duration.ofMillis(2));
      assertThat(silent.readTimeout(PROMPTLY).awaitClosed()).as("silent peer closed").isTrue();
      assertThat(noContext.readTimeout(PROMPTLY).awaitClosed()).as("preamble only closed")
          .isTrue();
      Await.until(PROMPTLY, "only the set-up connection to remain",
          () -> server.getNumOpenConnections() == 1);
      assertThat(setUp.roundTrip(2, "still here").text())
          .as("a set-up connection has no setup deadline").isEqualTo("still here");
    }
  }

  @Test
  void peerThatReadsNoResponsesIsClosedWhenTheFakeClockPassesTheWriteStallTimeout()
      throws Exception {
    Duration stall = Duration.ofSeconds(2);
    // Water marks out of the way so that every call is read and its answer queued; idle close
    // far away so that only the write stall can close the connection.
    start(echoServer().ticker(clock).setupTimeout(SHORT).idleTimeout(Duration.ofMinutes(10))
        .writeWaterMarks(512 * MIB, 512 * MIB).writeStallTimeout(stall));
    try (RawRpcPeer lazy = RawRpcPeer.connectWithReceiveBuffer(server.getListenerAddress(),
        4 * KIB)) {
      lazy.preamble().context("lazy", "test.EchoProtocol");
      byte[] payload = new byte[512 * KIB];
      for (int id = 0; id < 16; id++) {
        lazy.call(RpcKind.RPC_BUILTIN, id, payload); // and never read an answer
      }
      Await.until(Duration.ofSeconds(20), "every call answered and answers queued",
          () -> server.metrics().callsTotal() == 16 && server.getQueuedResponseBytes() > 0);

      // Far longer than the stall timeout in real time, just under it on the server's clock.
      clock.advance(stall.minusMillis(1));
      assertThat(holdsFor(stall.plusMillis(500), () -> server.getNumOpenConnections() == 1))
          .as("open under the stall timeout, for longer than it in real time").isTrue();
      assertThat(server.getQueuedResponseBytes()).isPositive();

      // A full timeout more: past the deadline even if the kernel took a last chunk meanwhile.
      clock.advance(stall.plusMillis(1));
      Await.until(PROMPTLY, "the stalled connection to be closed",
          () -> server.getNumOpenConnections() == 0);
    }
    Await.until(PROMPTLY, "its queued bytes to be released",
        () -> server.getQueuedResponseBytes() == 0);
    assertStillServes();
  }

  /**
   * True when the peer is still open after several reader scans (real time longer than the
   * timeouts under test): a bounded read that returns at once if the server closes.
   */
  private static boolean staysOpen(RawRpcPeer peer) throws IOException {
    return !peer.readTimeout(SEVERAL_SCANS).isAtEof();
  }

  /** True when {@code condition} holds throughout {@code period} (polled; false at once if not). */
  private static boolean holdsFor(Duration period, BooleanSupplier condition) {
    long end = System.nanoTime() + period.toNanos();
    while (System.nanoTime() - end < 0) {
      if (!condition.getAsBoolean()) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    return condition.getAsBoolean();
  }

  /**
   * The answer can reach the peer before its handler has finished the call, whose end counts as
   * activity: wait for that (the budget is released after the stamp), or a clock advanced in the
   * meantime would be measured from the wrong point.
   */
  private void awaitCallEnded() {
    Await.until(PROMPTLY, "the call to end", () -> server.getBufferedRequestBytes() == 0);
  }
}

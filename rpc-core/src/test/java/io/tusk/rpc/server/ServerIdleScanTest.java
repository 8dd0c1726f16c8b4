package io.tusk.rpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.testing.Await;
import io.tusk.rpc.testing.FakeTicker;
import io.tusk.rpc.testing.RawRpcPeer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hadoop's idle-connection rule on a fake clock, through Hadoop's keys
 * ({@code ipc.client.idlethreshold}, {@code ipc.client.connection.maxidletime},
 * {@code ipc.client.connection.idle-scan-interval.ms}, {@code ipc.client.kill.max}): set-up
 * connections are closed only in a scan, only while at least the threshold are open, at most
 * kill.max per scan, only when idle for longer than twice maxidletime and never with a call in
 * progress; connections that did not finish setup keep Tusk's setup deadline.
 *
 * <p>Scan rounds start when the server is built and turn every interval of the fake clock; the
 * readers notice a new round within a few real-time checks, so each close is awaited and each
 * "stays open" is a bounded read on the peer spanning many checks. The server has two readers:
 * the per-scan quota is shared between them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerIdleScanTest extends ServerTestSupport {
  private static final Duration INTERVAL = Duration.ofSeconds(10);
  /** Several real-time reader checks (500 ms apart at most with these settings). */
  private static final Duration SEVERAL_CHECKS = Duration.ofMillis(1_600);
  private static final Duration PROMPTLY = Duration.ofSeconds(10);

  private final FakeTicker clock = new FakeTicker();
  private final List<RawRpcPeer> peers = new ArrayList<>();

  @AfterEach
  void closePeers() throws IOException {
    for (RawRpcPeer peer : peers) {
      peer.close();
    }
  }

  /** A server reading Hadoop's keys: maxidletime 10 s (idle after 20 s), a scan every 10 s. */
  private void startServer(int threshold, int killMax) throws IOException {
    Configuration conf = new Configuration();
    conf.setInt(IpcKeys.CLIENT_IDLETHRESHOLD, threshold);
    conf.setInt(IpcKeys.CLIENT_CONNECTION_MAXIDLETIME, 10_000);
    conf.setInt(IpcKeys.CLIENT_CONNECTION_IDLESCANINTERVAL, (int) INTERVAL.toMillis());
    conf.setInt(IpcKeys.CLIENT_KILL_MAX, killMax);
    start(echoServer().configuration(conf).ticker(clock));
  }

  /** A set-up connection that made one call (at the clock's current reading). */
  private RawRpcPeer setUpPeer(String user) throws IOException {
    RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), user);
    peers.add(peer);
    assertThat(peer.roundTrip(1, "hello " + user).text()).isEqualTo("hello " + user);
    return peer;
  }

  /** Waits until the calls ended (their end counts as activity) and all are accepted. */
  private void awaitQuiet(int open) {
    Await.until(PROMPTLY, open + " open connections with no call running",
        () -> server.getNumOpenConnections() == open && server.getBufferedRequestBytes() == 0);
  }

  private static boolean staysOpen(RawRpcPeer peer) throws IOException {
    return !peer.readTimeout(SEVERAL_CHECKS).isAtEof();
  }

  private int openPeers() throws IOException {
    int open = 0;
    for (RawRpcPeer peer : peers) {
      if (!peer.readTimeout(Duration.ofMillis(1)).isAtEof()) {
        open++;
      }
    }
    return open;
  }

  @Test
  void belowTheThresholdNoIdleConnectionIsClosedHoweverLongItIsIdle() throws Exception {
    startServer(5, 10);
    for (int i = 0; i < 4; i++) {
      setUpPeer("p" + i);
    }
    awaitQuiet(4);

    for (int round = 0; round < 6; round++) { // an hour of rounds, 4 < 5 open
      clock.advance(Duration.ofMinutes(10));
      assertThat(staysOpen(peers.get(round % 4))).isTrue();
    }
    assertThat(server.getNumOpenConnections()).isEqualTo(4);
    assertThat(openPeers()).isEqualTo(4);
  }

  @Test
  void aScanClosesIdleConnectionsOnlyUntilFewerThanTheThresholdAreOpen() throws Exception {
    startServer(5, 10);
    for (int i = 0; i < 4; i++) {
      setUpPeer("old" + i);
    }
    awaitQuiet(4);
    clock.advance(Duration.ofMinutes(1)); // the four are idle for far longer than 20 s
    assertThat(staysOpen(peers.get(0))).as("4 open, below the threshold of 5").isTrue();

    setUpPeer("new"); // 5 open: at the threshold, the scan runs (as Hadoop's: size >= threshold)
    awaitQuiet(5);
    clock.advance(INTERVAL);
    Await.until(PROMPTLY, "one idle connection closed",
        () -> server.getNumOpenConnections() == 4);

    // One close brought the count below the threshold: the scan stopped, and so do later ones.
    clock.advance(INTERVAL);
    assertThat(staysOpen(peers.get(4))).isTrue();
    clock.advance(INTERVAL);
    assertThat(staysOpen(peers.get(4))).isTrue();
    assertThat(server.getNumOpenConnections()).isEqualTo(4);
    assertThat(openPeers()).isEqualTo(4);
  }

  @Test
  void eachScanClosesAtMostKillMaxAndOnlyThoseIdleLongerThanTwiceMaxIdleTime() throws Exception {
    startServer(0, 2);
    for (int i = 0; i < 4; i++) {
      setUpPeer("old" + i); // at t = 0
    }
    awaitQuiet(4);
    clock.advance(Duration.ofSeconds(15)); // round 1 at t = 15 s: nobody idle for 20 s yet
    RawRpcPeer fresh = setUpPeer("fresh"); // active at t = 15 s
    awaitQuiet(5);
    assertThat(staysOpen(fresh)).isTrue();
    assertThat(server.getNumOpenConnections()).as("none idle > 20 s at t = 15 s").isEqualTo(5);

    clock.advance(INTERVAL); // round 2 at t = 25 s: the four old ones qualify, kill.max is 2
    Await.until(PROMPTLY, "two closed", () -> server.getNumOpenConnections() == 3);
    assertThat(staysOpen(fresh)).as("the rest of the round closes nothing more").isTrue();
    assertThat(server.getNumOpenConnections()).isEqualTo(3);

    clock.advance(INTERVAL); // round 3 at t = 35 s: the other two old ones; fresh idle 20 s only
    Await.until(PROMPTLY, "the other two closed", () -> server.getNumOpenConnections() == 1);
    assertThat(staysOpen(fresh)).as("idle exactly 2 x maxidletime is not idle enough").isTrue();
    assertThat(openPeers()).isEqualTo(1);

    clock.advance(INTERVAL); // round 4 at t = 45 s: fresh idle 30 s
    assertThat(fresh.readTimeout(PROMPTLY).awaitClosed()).isTrue();
    Await.until(PROMPTLY, "none open", () -> server.getNumOpenConnections() == 0);
    assertStillServes();
  }

  @Test
  void aConnectionWithACallInProgressIsNeverClosedAsIdle() throws Exception {
    startServer(0, 0);
    RawRpcPeer idle = setUpPeer("idle");
    RawRpcPeer busy = setUpPeer("busy");
    awaitQuiet(2);
    busy.call(2, "sleep:2500");
    Await.until(PROMPTLY, "the call to be read", () -> server.getBufferedRequestBytes() > 0);

    clock.advance(Duration.ofMinutes(5)); // a round, both idle by the clock
    assertThat(idle.readTimeout(PROMPTLY).awaitClosed()).as("the idle one closes").isTrue();
    // The peer sees the close before the server forgets the connection.
    Await.until(PROMPTLY, "one open", () -> server.getNumOpenConnections() == 1);
    clock.advance(INTERVAL); // another round while the call still runs
    RawRpcPeer.Response answer = busy.readTimeout(PROMPTLY).readResponse();
    assertThat(answer.header().getStatus()).isEqualTo(RpcStatusProto.SUCCESS);
    assertThat(answer.text()).isEqualTo("sleep:2500");
    Await.until(PROMPTLY, "the call to end", () -> server.getBufferedRequestBytes() == 0);

    // Its end counts as activity: idle only 20 s after it, in a later round.
    clock.advance(INTERVAL);
    assertThat(staysOpen(busy)).as("10 s after its call ended").isTrue();
    clock.advance(INTERVAL.multipliedBy(2));
    assertThat(busy.readTimeout(PROMPTLY).awaitClosed()).isTrue();
  }

  @Test
  void connectionsThatDidNotFinishSetupStillHitTheSetupDeadlineBelowTheThreshold()
      throws Exception {
    Duration setup = Duration.ofSeconds(2);
    start(echoServer().ticker(clock).setupTimeout(setup)); // Hadoop's defaults: threshold 4000
    RawRpcPeer silent = RawRpcPeer.connect(server.getListenerAddress());
    peers.add(silent);
    RawRpcPeer setUp = setUpPeer("ok");
    awaitQuiet(2);

    clock.advance(setup.plusMillis(1));
    assertThat(silent.readTimeout(PROMPTLY).awaitClosed()).as("past the setup deadline").isTrue();
    Await.until(PROMPTLY, "one left", () -> server.getNumOpenConnections() == 1);

    clock.advance(Duration.ofHours(1)); // far past 20 s idle, but 1 < 4000 open
    assertThat(staysOpen(setUp)).isTrue();
    assertThat(setUp.roundTrip(2, "still here").text()).isEqualTo("still here");
  }

  @Test
  void aSetUpConnectionStalledInTheMiddleOfAFrameIsClosedBelowTheThreshold() throws Exception {
    Duration frameStall = Duration.ofSeconds(3);
    start(echoServer().ticker(clock).idleTimeout(frameStall));
    RawRpcPeer stalled = setUpPeer("stalled");
    awaitQuiet(1);
    stalled.sendLength(1_000).sendRaw(new byte[10]); // 10 of 1000 announced bytes, then nothing
    Await.until(PROMPTLY, "the partial frame to be buffered",
        () -> server.getBufferedRequestBytes() > 0);

    clock.advance(frameStall.minusMillis(1));
    assertThat(staysOpen(stalled)).as("just under the frame-stall limit").isTrue();
    clock.advance(Duration.ofMillis(2));
    assertThat(stalled.readTimeout(PROMPTLY).awaitClosed()).isTrue();
    Await.until(PROMPTLY, "its charge released", () -> server.getBufferedRequestBytes() == 0);
  }
}

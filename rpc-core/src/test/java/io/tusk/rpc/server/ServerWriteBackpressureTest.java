package io.tusk.rpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.testing.Await;
import io.tusk.rpc.testing.RawRpcPeer;
import io.tusk.rpc.wire.RpcConstants;
import io.tusk.rpc.wire.RpcHeaders;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The write side under peers that read slower than the server answers, or not at all: queued
 * response bytes stay bounded, reading pauses above the high water mark, a peer that takes
 * nothing is closed by the write-stall deadline in any state, and a slow but reading client loses
 * nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerWriteBackpressureTest extends ServerTestSupport {
  private static final int KIB = 1024;
  private static final int MIB = 1024 * KIB;
  /** A response frame around a payload: length, header and a little slack. */
  private static final int FRAME_OVERHEAD = 128;

  @Test
  void peerThatSendsCallsAndPingsButNeverReadsIsPausedThenClosedByTheWriteStall()
      throws Exception {
    int high = 256 * KIB;
    int payloadSize = 64 * KIB;
    int handlers = 1;
    int queuePerHandler = 4;
    start(echoServer().handlerCount(handlers).queueSizePerHandler(queuePerHandler)
        .writeWaterMarks(64 * KIB, high).writeStallTimeout(Duration.ofSeconds(2)));
    InetSocketAddress address = server.getListenerAddress();

    RawRpcPeer lazy = RawRpcPeer.connectWithReceiveBuffer(address, 4 * KIB);
    lazy.preamble().context("lazy", "test.EchoProtocol");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<IOException> senderEnd = new AtomicReference<>();
    Thread sender = new Thread(() -> {
      byte[] payload = new byte[payloadSize];
      try {
        for (int id = 0; !stop.get(); id++) {
          lazy.call(RpcKind.RPC_BUILTIN, id, payload); // and never read an answer
          lazy.ping();
        }
      } catch (IOException e) {
        senderEnd.set(e); // the server closed on us: that is the point
      }
    }, "lazy-sender");
    sender.setDaemon(true);
    sender.start();

    try (RawRpcPeer good = RawRpcPeer.handshake(address, "good")) {
      Await.until(Duration.ofSeconds(20), "responses to pile up past the high water mark",
          () -> server.getQueuedResponseBytes() > high);
      long pausedAtNanos = System.nanoTime();
      List<long[]> samples = new ArrayList<>(); // {nanoTime, calls of the lazy peer served}
      long maxQueued = 0;
      int goodCalls = 0;
      int busy = 0;
      while (server.getNumOpenConnections() > 1) {
        maxQueued = Math.max(maxQueued, server.getQueuedResponseBytes());
        samples.add(new long[] {System.nanoTime(), server.metrics().callsTotal() - goodCalls});
        RawRpcPeer.Response answer = good.roundTrip(goodCalls + busy, "good " + goodCalls);
        if (answer.header().getStatus() == RpcStatusProto.ERROR
            && answer.header().getExceptionClassName().endsWith(".RetriableException")) {
          // The lazy peer's calls may fill the (tiny) call queue, which answers "too busy";
          // a client retries that, as this one does.
          busy++;
          continue;
        }
        assertThat(answer.header().getStatus()).isEqualTo(RpcStatusProto.SUCCESS);
        assertThat(answer.text()).isEqualTo("good " + goodCalls);
        goodCalls++;
        assertThat(System.nanoTime() - pausedAtNanos)
            .as("the write stall closes the lazy peer")
            .isLessThan(TimeUnit.SECONDS.toNanos(15));
      }
      long closedNanos = System.nanoTime();
      long lazyCalls = server.metrics().callsTotal() - goodCalls;
      // While the kernel still takes bytes the queue may drain below the low mark and reading
      // resume; but in the stall window before the close nothing moved, so the queue never fell
      // to the low mark: at most enough calls to push it past the high mark were read, plus those
      // already read (queued, running, or in the last read buffer). Later calls and pings of the
      // peer are never read.
      int inFlight = handlers * queuePerHandler + handlers + 2;
      long[] windowStart = samples.get(0);
      for (long[] sample : samples) {
        if (closedNanos - sample[0] >= TimeUnit.MILLISECONDS.toNanos(1_500)) {
          windowStart = sample;
        }
      }
      assertThat(lazyCalls - windowStart[1])
          .isLessThanOrEqualTo(inFlight + high / payloadSize + 1);
      assertThat(maxQueued).isLessThanOrEqualTo(high + (long) inFlight
          * (payloadSize + FRAME_OVERHEAD));
      assertThat(goodCalls).as("the well-behaved client was served during the pause")
          .isGreaterThan(10);
      sender.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(sender.isAlive()).as("the lazy sender sees the close").isFalse();
      assertThat(senderEnd.get()).isNotNull();
    } finally {
      stop.set(true);
      lazy.close();
    }
    Await.until(Duration.ofSeconds(5), "the lazy peer's queued bytes to be released",
        () -> server.getQueuedResponseBytes() == 0);
    assertThat(server.isFailed()).isFalse();
    assertStillServes();
  }

  @Test
  void fatalAnswerQueuedBehindUnreadResponsesStillGetsTheConnectionClosed() throws Exception {
    // Water marks out of the way: the server reads everything, so the FATAL answer ends up
    // queued behind megabytes of responses that the peer never reads.
    start(echoServer().writeWaterMarks(512 * MIB, 512 * MIB)
        .writeStallTimeout(Duration.ofSeconds(1)));
    InetSocketAddress address = server.getListenerAddress();
    try (RawRpcPeer lazy = RawRpcPeer.connectWithReceiveBuffer(address, 4 * KIB)) {
      lazy.preamble().context("lazy", "test.EchoProtocol");
      byte[] payload = new byte[64 * KIB];
      for (int id = 0; id < 128; id++) {
        lazy.call(RpcKind.RPC_BUILTIN, id, payload);
      }
      Await.until(Duration.ofSeconds(20), "every call to be answered into the queue",
          () -> server.metrics().callsTotal() == 128 && server.getQueuedResponseBytes() > 0);
      // A second connection context: FATAL, queued behind the unread responses.
      lazy.sendFrame(RpcHeaders.connectionContext(lazy.clientId()), null);
      long sentNanos = System.nanoTime();
      Await.until(Duration.ofSeconds(10), "the connection in CLOSING to be closed",
          () -> server.getNumOpenConnections() == 0);
      assertThat(System.nanoTime() - sentNanos).isLessThan(TimeUnit.SECONDS.toNanos(10));
    }
    Await.until(Duration.ofSeconds(5), "its queued bytes to be released",
        () -> server.getQueuedResponseBytes() == 0);
    assertStillServes();
  }

  @Test
  void pipeliningClientSlowerThanTheServerGetsEveryAnswer() throws Exception {
    // 64 calls of 1 MiB in flight on one connection, answers read slowly: the server must
    // push back (stop reading) instead of queueing everything or closing the connection.
    start(echoServer());
    int calls = 64;
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "pipeliner")) {
      AtomicReference<Throwable> sendFailure = new AtomicReference<>();
      Thread writer = new Thread(() -> {
        byte[] payload = new byte[MIB];
        try {
          for (int id = 0; id < calls; id++) {
            peer.call(RpcKind.RPC_BUILTIN, id, payload);
          }
        } catch (Throwable t) {
          sendFailure.set(t);
        }
      }, "pipeliner-writer");
      writer.setDaemon(true);
      writer.start();
      long maxQueued = 0;
      Set<Integer> answered = new HashSet<>();
      for (int i = 0; i < calls; i++) {
        // A reader slower than the server: the pause is the behaviour under test, not a wait.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(15));
        maxQueued = Math.max(maxQueued, server.getQueuedResponseBytes());
        RawRpcPeer.Response answer = peer.readResponse();
        assertThat(answer.header().getStatus()).isEqualTo(RpcStatusProto.SUCCESS);
        assertThat(answered.add(answer.header().getCallId())).isTrue();
        assertThat(answer.payload()).hasSize(MIB);
      }
      assertThat(answered).hasSize(calls); // two handlers: answers come in any order
      writer.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(sendFailure.get()).isNull();
      // Reading paused above the high water mark: far less than the 64 MiB answered is queued.
      assertThat(maxQueued).isLessThan(32L * MIB);
    }
    assertThat(server.metrics().callsTotal()).isEqualTo(calls);
  }

  @Test
  void pingsAloneDoNotKeepAPeerThatReadsNothingOpen() throws Exception {
    // Water marks out of the way, so the server keeps reading (and so sees every ping).
    start(echoServer().writeWaterMarks(512 * MIB, 512 * MIB)
        .writeStallTimeout(Duration.ofSeconds(1)));
    try (RawRpcPeer lazy = RawRpcPeer.connectWithReceiveBuffer(server.getListenerAddress(),
        4 * KIB)) {
      lazy.preamble().context("lazy", "test.EchoProtocol");
      byte[] payload = new byte[512 * KIB];
      try {
        for (int id = 0; id < 16; id++) {
          lazy.call(RpcKind.RPC_BUILTIN, id, payload);
        }
        Await.until(Duration.ofSeconds(10), "responses to be queued",
            () -> server.getQueuedResponseBytes() > 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (server.getNumOpenConnections() > 0 && System.nanoTime() < deadline) {
          lazy.ping(); // a small ping now and then, as a keep-alive would
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
      } catch (IOException e) {
        // closed by the server while we wrote: expected
      }
      Await.until(Duration.ofSeconds(5), "the pinging peer to be closed",
          () -> server.getNumOpenConnections() == 0);
    }
    assertThat(server.getQueuedResponseBytes()).isZero();
    assertStillServes();
  }
}

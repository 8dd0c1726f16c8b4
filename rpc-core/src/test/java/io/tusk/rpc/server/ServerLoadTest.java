package io.tusk.rpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.testing.Await;
import io.tusk.rpc.testing.RawRpcPeer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Limits under load: call queue, connection count, the request buffer budget, stalling peers. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServerLoadTest extends ServerTestSupport {
  private static final int MIB = 1024 * 1024;

  @Test
  void fullCallQueueAnswersRetriableExceptionWithoutBlockingTheReader() throws Exception {
    start(echoServer().handlerCount(1).queueSizePerHandler(1));
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "busy")) {
      int calls = 6;
      for (int i = 0; i < calls; i++) {
        peer.call(i, "sleep:300");
      }
      int retriable = 0;
      int succeeded = 0;
      for (int i = 0; i < calls; i++) {
        RpcResponseHeaderProto header = peer.readResponse().header();
        if (header.getStatus() == RpcStatusProto.SUCCESS) {
          succeeded++;
          continue;
        }
        retriable++;
        assertThat(header.getStatus()).isEqualTo(RpcStatusProto.ERROR);
        assertThat(header.getExceptionClassName())
            .isEqualTo("org.apache.hadoop.ipc.RetriableException");
        assertThat(header.getErrorMsg()).contains("call queue full");
        assertThat(header.getErrorDetail()).isEqualTo(RpcErrorCodeProto.ERROR_RPC_SERVER);
      }
      // one call running, at most one queued: the rest were turned away at once
      assertThat(retriable).isGreaterThanOrEqualTo(calls - 2);
      assertThat(succeeded).isGreaterThanOrEqualTo(1);
      assertThat(peer.roundTrip(99, "after the rush").text()).isEqualTo("after the rush");
    }
    Await.until(Duration.ofSeconds(5), "every charge released",
        () -> server.getBufferedRequestBytes() == 0);
  }

  @Test
  void connectionsBeyondTheMaximumAreClosed() throws Exception {
    start(echoServer().maxConnections(2));
    try (RawRpcPeer a = RawRpcPeer.handshake(server.getListenerAddress(), "a");
        RawRpcPeer b = RawRpcPeer.handshake(server.getListenerAddress(), "b")) {
      a.roundTrip(1, "a");
      b.roundTrip(1, "b");
      try (RawRpcPeer c = RawRpcPeer.connect(server.getListenerAddress())) {
        assertThat(c.awaitClosed()).isTrue();
      }
      a.close();
      Await.until(Duration.ofSeconds(5), "the closed connection to be forgotten",
          () -> server.getNumOpenConnections() == 1);
      assertStillServes();
      assertThat(b.roundTrip(2, "b again").text()).isEqualTo("b again");
    }
  }

  @Test
  void tinyBudgetPausesAndResumesReadersUntilEveryLargeCallCompletes() throws Exception {
    start(echoServer().requestBufferBytes(256 * 1024).readerCount(2).handlerCount(2));
    int clients = 4;
    int callsEach = 3;
    ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong peak = new AtomicLong();
    try {
      pool.submit(() -> {
        while (running.get()) {
          peak.accumulateAndGet(server.getBufferedRequestBytes(), Math::max);
          LockSupport.parkNanos(100_000); // sampling interval
        }
      });
      List<Future<Integer>> results = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        byte[] payload = new byte[MIB];
        Arrays.fill(payload, (byte) c);
        results.add(pool.submit(() -> {
          try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "big")) {
            int ok = 0;
            for (int i = 0; i < callsEach; i++) {
              RawRpcPeer.Response response =
                  peer.call(RpcKind.RPC_BUILTIN, i, payload).readResponse();
              if (response.header().getStatus() == RpcStatusProto.SUCCESS
                  && Arrays.equals(response.payload(), payload)) {
                ok++;
              }
            }
            return ok;
          }
        }));
      }
      for (Future<Integer> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(callsEach);
      }
    } finally {
      running.set(false);
      pool.shutdownNow();
    }
    // limit + one frame finishing on the overdraw token + read overshoot; without the gate's
    // "calls hold the budget" rule every client could hold a queued and a partial 1 MiB frame
    assertThat(peak.get()).isGreaterThan(256 * 1024).isLessThan(3L * MIB);
    Await.until(Duration.ofSeconds(5), "every charge released",
        () -> server.getBufferedRequestBytes() == 0);
  }

  @Test
  void fiftyStallingHugeFramesDoNotStarveAWellBehavedClient() throws Exception {
    start(echoServer().readerCount(2).handlerCount(2));
    int stallers = 50;
    int announced = 100 * MIB;
    int sent = 5 * 1024;
    long heapBefore = usedHeap();
    List<RawRpcPeer> bad = new ArrayList<>();
    try (RawRpcPeer good = RawRpcPeer.handshake(server.getListenerAddress(), "good")) {
      int callId = 0;
      for (int i = 0; i < stallers; i++) {
        RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "staller-" + i);
        bad.add(peer);
        peer.sendLength(announced).sendRaw(new byte[sent]);
        RawRpcPeer.Response response = good.roundTrip(callId, "ping " + callId);
        assertThat(response.text()).isEqualTo("ping " + callId++);
      }
      Await.until(Duration.ofSeconds(10), "every staller's bytes to be read",
          () -> server.getBufferedRequestBytes() >= (long) stallers * sent);
      for (int i = 0; i < 200; i++) {
        assertThat(good.roundTrip(callId, "ping " + callId).text()).isEqualTo("ping " + callId++);
      }
      long buffered = server.getBufferedRequestBytes();
      // each staller holds at most ~2x what it sent, nowhere near 50 x 100 MiB
      assertThat(buffered).isLessThanOrEqualTo((long) stallers * 2 * sent + 64 * 1024);
      assertThat(usedHeap() - heapBefore).isLessThan(200L * MIB);
      assertThat(server.getNumOpenConnections()).isEqualTo(stallers + 1);
    } finally {
      for (RawRpcPeer peer : bad) {
        peer.close();
      }
    }
    Await.until(Duration.ofSeconds(10), "the stallers' charges to be released",
        () -> server.getBufferedRequestBytes() == 0);
  }

  @Test
  void clientThatNeverReadsItsResponsesIsClosedByTheWriteStall() throws Exception {
    start(echoServer().writeStallTimeout(Duration.ofSeconds(2)));
    byte[] payload = new byte[4 * MIB];
    try (RawRpcPeer lazy = RawRpcPeer.handshake(server.getListenerAddress(), "lazy")) {
      try {
        for (int i = 0; i < 40; i++) {
          lazy.call(RpcKind.RPC_BUILTIN, i, payload); // and never read an answer
        }
      } catch (IOException e) {
        // the server closed on us while we were still sending: that is the point
      }
      Await.until(Duration.ofSeconds(10), "the lazy client's connection to be closed",
          () -> server.getNumOpenConnections() == 0);
    }
    assertStillServes();
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}

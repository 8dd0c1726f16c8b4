package io.tusk.rpc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.spi.RequestDecoder;
import io.tusk.rpc.spi.RpcInvoker;
import io.tusk.rpc.spi.ServerEngine;
import io.tusk.rpc.testing.Await;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.RawRpcPeer;
import io.tusk.rpc.testing.Threads;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A reader pauses a connection while the request budget is spent by a call in a handler, holds
 * no more of that connection's bytes than the budget allows meanwhile, and resumes it by itself
 * when the call finishes and gives its bytes back.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@ExtendWith(LeakCheck.class)
class ReaderPauseResumeTest {
  private static final int BUDGET = 64 * 1024;
  private static final int FIRST = 40 * 1024;
  private static final int SECOND = 160 * 1024;

  @Test
  void spentBudgetPausesTheConnectionAndAFinishedCallResumesIt() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    String name = Threads.uniqueName("srv");
    ServerRuntime runtime = new ServerRuntime(null, Server.builder().bindAddress("127.0.0.1")
        .port(0).readerCount(1).handlerCount(1).requestBufferBytes(BUDGET)
        .shutdownGrace(Duration.ofSeconds(1)).options(), name);
    runtime.registerEngine(holdingEngine(entered, release));
    InetSocketAddress address = runtime.start();
    try (RawRpcPeer peer = RawRpcPeer.handshake(address, "alice")) {
      byte[] first = filled(FIRST, (byte) 1);
      byte[] second = filled(SECOND, (byte) 2);
      peer.call(RpcKind.RPC_BUILTIN, 0, first);
      assertThat(entered.await(10, TimeUnit.SECONDS)).as("first call in its handler").isTrue();
      assertThat(runtime.pausedConnections()).isZero();

      // The first call holds 40 KiB of the 64 KiB budget; the second frame spends the rest and
      // cannot finish (calls hold more than half the budget, so nobody gets the overdraw token).
      // Sent from another thread: the socket may not take all of it while the server holds off.
      Thread sender = new Thread(() -> {
        try {
          peer.call(RpcKind.RPC_BUILTIN, 1, second);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, name + "-test-sender");
      sender.start();
      Await.until(Duration.ofSeconds(10), "the connection to pause",
          () -> runtime.pausedConnections() == 1);
      // At most one read past the budget is held, far less than the frame the peer sent.
      assertThat(runtime.bufferedRequestBytes())
          .isBetween((long) BUDGET, (long) BUDGET + Reader.READ_BUFFER_SIZE);
      assertThat(runtime.callQueueLength()).as("the second call is not complete").isZero();

      release.countDown();
      sender.join(10_000);
      assertThat(sender.isAlive()).as("the rest of the second frame was read").isFalse();
      RawRpcPeer.Response one = peer.readResponse();
      RawRpcPeer.Response two = peer.readResponse();
      assertThat(one.header().getCallId()).isZero();
      assertThat(one.header().getStatus()).isEqualTo(RpcStatusProto.SUCCESS);
      assertThat(one.payload()).isEqualTo(first);
      assertThat(two.header().getCallId()).isEqualTo(1);
      assertThat(two.header().getStatus()).isEqualTo(RpcStatusProto.SUCCESS);
      assertThat(two.payload()).isEqualTo(second);
      Await.until(Duration.ofSeconds(10), "nothing paused or buffered",
          () -> runtime.pausedConnections() == 0 && runtime.bufferedRequestBytes() == 0);
    } finally {
      release.countDown();
      runtime.close();
    }
    assertThat(runtime.isTerminated()).isTrue();
    Threads.assertNoneAlive(name, Duration.ofSeconds(5));
  }

  private static byte[] filled(int size, byte value) {
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, value);
    return bytes;
  }

  /** Echoes the request; the first call waits in its handler until {@code release}. */
  private static ServerEngine<byte[]> holdingEngine(CountDownLatch entered,
      CountDownLatch release) {
    RequestDecoder<byte[]> decoder = (ByteBuffer request) -> {
      byte[] bytes = new byte[request.remaining()];
      request.get(bytes);
      return bytes;
    };
    RpcInvoker<byte[]> invoker = (protocols, call, request) -> {
      entered.countDown();
      if (!release.await(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
      return RpcPayload.ofBytes(request);
    };
    return ServerEngine.of("test.holding", RpcKind.RPC_BUILTIN, decoder, invoker);
  }
}

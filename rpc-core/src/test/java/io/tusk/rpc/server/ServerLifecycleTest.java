package io.tusk.rpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.spi.ServerEngine;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.testing.RawRpcPeer;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** start / shutdown / shutdownNow / close: threads, sockets and in-flight calls. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerLifecycleTest extends ServerTestSupport {

  /** An RPC_PROTOCOL_BUFFER engine whose calls signal when they start, then sleep. */
  private static ServerEngine<?> slowEngine(CountDownLatch started, long sleepMillis) {
    return ServerEngine.of("test", RpcKind.RPC_PROTOCOL_BUFFER, request -> "slow",
        (srv, call, request) -> {
          started.countDown();
          // simulated work that an interrupt (shutdownNow) cuts short, like a real handler's
          new CountDownLatch(1).await(sleepMillis, TimeUnit.MILLISECONDS);
          return RpcPayload.ofBytes(new byte[] {'d', 'o', 'n', 'e'});
        });
  }

  @Test
  void threadsAreNamedAfterServerRoleAndPort() throws Exception {
    start(echoServer().readerCount(2).handlerCount(3));
    int port = server.getListenerAddress().getPort();
    assertThat(Threads.alive(name)).containsExactlyInAnyOrder(
        name + "-listener@" + port,
        name + "-reader-0@" + port, name + "-reader-1@" + port,
        name + "-handler-0@" + port, name + "-handler-1@" + port, name + "-handler-2@" + port,
        name + "-responder@" + port);
  }

  @Test
  void closeTwiceLeavesNoThreadAndReleasesThePort() throws Exception {
    start(echoServer());
    InetSocketAddress address = server.getListenerAddress();
    try (RawRpcPeer peer = RawRpcPeer.handshake(address, "x")) {
      peer.roundTrip(1, "x");
      assertThat(server.isTerminated()).isFalse();
      server.close();
      server.close();
      assertThat(server.isTerminated()).isTrue();
      Threads.assertNoneAlive(name, Duration.ofSeconds(1));
      assertThat(server.getNumOpenConnections()).isZero();
      assertThat(peer.awaitClosed()).isTrue();
    }
    try (ServerSocket again = new ServerSocket()) {
      again.setReuseAddress(true);
      again.bind(address);
      assertThat(again.getLocalPort()).isEqualTo(address.getPort());
    }
  }

  @Test
  void shutdownLetsARunningCallFinish() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    start(echoServer().engine(slowEngine(started, 500)).shutdownGrace(Duration.ofSeconds(5)));
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "x")) {
      peer.call(RpcKind.RPC_PROTOCOL_BUFFER, 1, new byte[] {1});
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      server.shutdown();
      RawRpcPeer.Response response = peer.readResponse();
      assertThat(response.header().getStatus()).isEqualTo(RpcStatusProto.SUCCESS);
      assertThat(response.text()).isEqualTo("done");
      assertThat(server.awaitTermination(Duration.ofSeconds(10))).isTrue();
      assertThat(peer.awaitClosed()).isTrue();
    }
    Threads.assertNoneAlive(name, Duration.ofSeconds(1));
  }

  @Test
  void shutdownNowInterruptsRunningCallsAndClosesConnections() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    start(echoServer().engine(slowEngine(started, 60_000)));
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "x")) {
      peer.call(RpcKind.RPC_PROTOCOL_BUFFER, 1, new byte[] {1});
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      server.shutdownNow();
      assertThat(server.awaitTermination(Duration.ofSeconds(10))).isTrue();
      assertThat(peer.awaitClosed()).isTrue();
    }
    assertThat(server.getBufferedRequestBytes()).isZero();
  }

  @Test
  void noNewConnectionsAfterShutdown() throws Exception {
    start(echoServer());
    InetSocketAddress address = server.getListenerAddress();
    server.close();
    assertThatThrownBy(() -> {
      try (RawRpcPeer peer = RawRpcPeer.handshake(address, "late")) {
        peer.roundTrip(1, "anyone?");
      }
    }).isInstanceOf(IOException.class);
  }

  @Test
  void startTwiceFailsAndCloseBeforeStartIsFine() throws Exception {
    Server unstarted = echoServer().build();
    unstarted.close();
    assertThat(unstarted.isTerminated()).isTrue();
    assertThatThrownBy(unstarted::start).isInstanceOf(IllegalStateException.class);

    start(echoServer());
    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    assertStillServes();
  }
}

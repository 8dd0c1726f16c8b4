package io.tusk.rpc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.Await;
import io.tusk.rpc.testing.EchoEngine;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.RawRpcPeer;
import io.tusk.rpc.testing.Threads;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A reader thread that ends for good (its selector breaks): the server says it is failed, stops
 * handing new connections to that reader, and serves them on the readers it has left.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@ExtendWith(LeakCheck.class)
class ReaderDeathTest {

  @Test
  void deadReaderMarksTheServerFailedAndGetsNoMoreConnections() throws Exception {
    String name = Threads.uniqueName("srv");
    ServerRuntime runtime = new ServerRuntime(null, Server.builder().bindAddress("127.0.0.1")
        .port(0).readerCount(2).handlerCount(2).shutdownGrace(Duration.ofSeconds(1)).options(),
        name);
    runtime.registerEngine(EchoEngine.registration());
    InetSocketAddress address = runtime.start();
    try {
      assertThat(runtime.isFailed()).isFalse();
      runtime.readers[0].selector.close(); // its next select() throws ClosedSelectorException
      Await.until(Duration.ofSeconds(5), "the broken reader to end",
          () -> Threads.alive(name + "-reader-0@").isEmpty());
      assertThat(runtime.isFailed()).isTrue();
      assertThat(runtime.failures()).singleElement().asString()
          .contains(name + "-reader-0@").contains("ClosedSelectorException");
      // Round-robin would give every other connection to the dead reader: none may hang.
      for (int i = 0; i < 4; i++) {
        try (RawRpcPeer peer = RawRpcPeer.handshake(address, "user" + i)
            .readTimeout(Duration.ofSeconds(5))) {
          RawRpcPeer.Response answer = peer.roundTrip(i, "still serving " + i);
          assertThat(answer.header().getStatus()).isEqualTo(RpcStatusProto.SUCCESS);
          assertThat(answer.text()).isEqualTo("still serving " + i);
        }
      }
    } finally {
      runtime.close();
    }
    assertThat(runtime.isTerminated()).isTrue();
    Threads.assertNoneAlive(name, Duration.ofSeconds(5));
  }
}

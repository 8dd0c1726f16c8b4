package io.tusk.rpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.testing.EchoEngine;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.RawRpcPeer;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** Starts echo servers on 127.0.0.1:0 and checks after each test that none of their threads lives. */
@ExtendWith(LeakCheck.class)
abstract class ServerTestSupport {
  protected String name;
  protected Server server;

  /** An echo server builder with a unique name and test-friendly timeouts. */
  protected Server.Builder echoServer() {
    name = Threads.uniqueName("srv");
    return Server.builder().name(name).bindAddress("127.0.0.1").port(0)
        .engine(EchoEngine.registration()).handlerCount(2).readerCount(2)
        .shutdownGrace(Duration.ofSeconds(2));
  }

  protected Server start(Server.Builder builder) throws IOException {
    server = builder.build().start();
    return server;
  }

  @AfterEach
  void closeServer() {
    if (server != null) {
      server.close();
      assertThat(server.isTerminated()).isTrue();
      Threads.assertNoneAlive(name, Duration.ofSeconds(5));
    }
  }

  /** A fresh, well-behaved client gets an echo answer. */
  protected void assertStillServes() throws IOException {
    try (RawRpcPeer good = RawRpcPeer.handshake(server.getListenerAddress(), "good")) {
      RawRpcPeer.Response response = good.roundTrip(42, "still serving");
      assertThat(response.header().getStatus()).isEqualTo(RpcStatusProto.SUCCESS);
      assertThat(response.text()).isEqualTo("still serving");
    }
  }
}

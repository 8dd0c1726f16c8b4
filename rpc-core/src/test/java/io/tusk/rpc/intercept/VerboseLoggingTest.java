package io.tusk.rpc.intercept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.CapturedStderr;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code setVerbose(true)}'s interceptor logs Hadoop's "Call:" and "Return:" lines. */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class VerboseLoggingTest {
  @Test
  void logsEachCallAndItsReturnOnTheRpcLogger() throws Exception {
    String name = Threads.uniqueName("verbose");
    TextEngine engine = new TextEngine(Collections.synchronizedList(new ArrayList<>()));
    try (CapturedStderr err = new CapturedStderr();
        Server server = Server.builder().name(name + "-srv").handlerCount(1)
            .engine(engine.registration()).interceptor(VerboseLogging.INSTANCE).build().start();
        Client client = Client.builder().name(name + "-cli").build()) {
      ConnectionId remote = ConnectionId.of(new InetSocketAddress("127.0.0.1",
          server.getListenerAddress().getPort()), "test.TextProtocol");

      client.call(RpcKind.RPC_BUILTIN, RpcPayload.ofBytes(
          "greet:bob".getBytes(StandardCharsets.UTF_8)), remote);
      assertThat(catchThrowable(() -> client.call(RpcKind.RPC_BUILTIN, RpcPayload.ofBytes(
          "throw:nope".getBytes(StandardCharsets.UTF_8)), remote)))
          .isInstanceOf(RemoteException.class);

      // logged on the handler before the response was sent, so present once the call returned
      assertThat(err.text().lines().filter(line -> line.contains(" io.tusk.rpc.RPC - ")))
          .containsExactly(
              "[" + name + "-srv-handler-0@" + server.getListenerAddress().getPort()
                  + "] INFO io.tusk.rpc.RPC - Call: greet(bob)",
              "[" + name + "-srv-handler-0@" + server.getListenerAddress().getPort()
                  + "] INFO io.tusk.rpc.RPC - Return: payload(BOB)",
              "[" + name + "-srv-handler-0@" + server.getListenerAddress().getPort()
                  + "] INFO io.tusk.rpc.RPC - Call: throw(nope)");
    }
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
  }
}

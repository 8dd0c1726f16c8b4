package io.tusk.rpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.server.ServerOptions;
import io.tusk.rpc.testing.Await;
import io.tusk.rpc.testing.EchoEngine;
import io.tusk.rpc.testing.FakeTicker;
import io.tusk.rpc.testing.ScriptedServer;
import io.tusk.rpc.testing.ScriptedServer.Action;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * The server closing a connection (idle close, or a drop) never fails a call whose request had
 * not been written: the client sends it on a new connection. A call whose request was written
 * (handed to the socket, even in part) fails with the IOException "Connection to ADDRESS closed
 * while waiting for call #ID: REASON", as before: the server may have run it.
 */
@Timeout(30)
class ClientReconnectTest extends ClientTestSupport {
  private String tuskName;
  private Server tusk;

  @AfterEach
  void closeTuskServer() {
    if (tusk != null) {
      tusk.close();
      Threads.assertNoneAlive(tuskName, PROMPTLY);
    }
  }

  /** "close" closes the connection once its request is read; anything else echoes "re:...". */
  private static Action script(ScriptedServer.Request r) {
    return r.payloadText().equals("close") ? Action.closeConnection()
        : Action.reply("re:" + r.payloadText());
  }

  private static long requestsFor(ScriptedServer server, String text) {
    return server.requests().stream().filter(r -> r.payloadText().equals(text)).count();
  }

  @Test
  void afterTheServerClosesAnIdleConnectionTheNextCallSucceedsOnANewOne(TestInfo test)
      throws Exception {
    ScriptedServer server = server(test, ClientReconnectTest::script);
    Client client = client(test, shortTimeouts());
    assertThat(text(client.call(KIND, text("first"), id(server)))).isEqualTo("re:first");

    server.awaitPeer(0, PROMPTLY).close(); // the server's idle close
    Await.until(PROMPTLY, "the client to see the close", () -> client.connectionCount() == 0);

    assertThat(text(client.call(KIND, text("second"), id(server)))).isEqualTo("re:second");
    assertThat(server.peers()).hasSize(2);
  }

  @Test
  void tuskServersIdleScanClosingAConnectionDoesNotFailTheNextCall(TestInfo test)
      throws Exception {
    FakeTicker clock = new FakeTicker();
    tuskName = Threads.uniqueName("srv-idle");
    tusk = Server.builder().name(tuskName).ticker(clock).engine(EchoEngine.registration())
        .options(o -> o.idleScan(new ServerOptions.IdleScan(0, Duration.ofSeconds(1),
            Duration.ofMillis(1), 0)))
        .build().start();
    ConnectionId remote = ConnectionId.of(new InetSocketAddress("127.0.0.1",
        tusk.getListenerAddress().getPort()), "echo");
    Client client = client(test, shortTimeouts());
    String firstPort = text(client.call(RpcKind.RPC_BUILTIN, text("whoami"), remote));
    Await.until(PROMPTLY, "the call to end", () -> tusk.getBufferedRequestBytes() == 0);

    clock.advance(Duration.ofSeconds(2));
    Await.until(PROMPTLY, "the server to close the idle connection",
        () -> tusk.getNumOpenConnections() == 0);
    Await.until(PROMPTLY, "the client to see the close", () -> client.connectionCount() == 0);

    String secondPort = text(client.call(RpcKind.RPC_BUILTIN, text("whoami"), remote));
    assertThat(secondPort).as("a new connection, from another client port").isNotEqualTo(firstPort);
    assertThat(tusk.getNumOpenConnections()).isEqualTo(1);
  }

  @Test
  void callsQueuedUnwrittenWhenTheServerClosesTheConnectionAreSentOnANewOne(TestInfo test)
      throws Exception {
    ScriptedServer server = server(test, ClientReconnectTest::script);
    StallingSocketFactory sockets = new StallingSocketFactory();
    Client client = client(test, Client.builder().options(shortTimeouts()).socketFactory(sockets));
    assertThat(text(client.call(KIND, text("warm"), id(server)))).isEqualTo("re:warm");

    // A write that blocks (the socket full, as when the server reads no more), so that the next
    // calls wait in the send queue, none of their bytes written.
    sockets.stallWrites();
    CompletableFuture<ByteBuffer> stuck = client.callAsync(KIND, text("stuck"), id(server));
    Await.until(PROMPTLY, "the write to block", () -> sockets.stalledWrites() == 1);
    CompletableFuture<ByteBuffer> queued1 = client.callAsync(KIND, text("queued1"), id(server));
    CompletableFuture<ByteBuffer> queued2 = client.callAsync(KIND, text("queued2"), id(server));
    assertThat(client.pendingCallCount()).isEqualTo(3);
    sockets.resume(); // the next connection writes normally

    server.awaitPeer(0, PROMPTLY).close(); // the server closes the connection meanwhile

    assertThat(text(queued1.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS)))
        .isEqualTo("re:queued1");
    assertThat(text(queued2.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS)))
        .isEqualTo("re:queued2");
    // The blocked one was handed to the socket: it fails, as a call that may have run does.
    assertThat(failureOf(stuck)).isInstanceOf(IOException.class)
        .hasMessageContaining("Connection to " + server.address() + " closed while waiting for"
            + " call #");
    assertThat(server.peers()).hasSize(2);
    assertThat(requestsFor(server, "queued1")).as("sent once").isEqualTo(1);
    assertThat(requestsFor(server, "queued2")).as("sent once").isEqualTo(1);
    assertThat(requestsFor(server, "stuck")).as("never reached the server, not resent")
        .isZero();
    assertThat(client.pendingCallCount()).isZero();
  }

  @Test
  void aCallWhoseRequestWasWrittenFailsWhenTheServerClosesTheConnection(TestInfo test)
      throws Exception {
    ScriptedServer server = server(test, ClientReconnectTest::script);
    Client client = client(test, shortTimeouts());
    assertThat(text(client.call(KIND, text("warm"), id(server)))).isEqualTo("re:warm");

    Throwable failure = catchThrowable(() -> client.call(KIND, text("close"), id(server)));

    assertThat(failure).isInstanceOf(IOException.class)
        .hasMessage("Connection to " + server.address() + " closed while waiting for call #1:"
            + " the server closed the connection");
    assertThat(server.peers()).as("not resent").hasSize(1);
    assertThat(requestsFor(server, "close")).isEqualTo(1);
    assertThat(text(client.call(KIND, text("after"), id(server)))).isEqualTo("re:after");
    assertThat(server.peers()).hasSize(2);
  }

  @Test
  void aResentCallKeepsItsDeadline(TestInfo test) throws Exception {
    ScriptedServer server = server(test, r -> r.payloadText().equals("never")
        ? Action.none() : Action.reply("re:" + r.payloadText()));
    StallingSocketFactory sockets = new StallingSocketFactory();
    Client client = client(test, Client.builder().options(shortTimeouts()).socketFactory(sockets));
    assertThat(text(client.call(KIND, text("warm"), id(server)))).isEqualTo("re:warm");

    sockets.stallWrites();
    CompletableFuture<ByteBuffer> stuck = client.callAsync(KIND, text("stuck"), id(server));
    Await.until(PROMPTLY, "the write to block", () -> sockets.stalledWrites() == 1);
    long start = System.nanoTime();
    CompletableFuture<ByteBuffer> never = client.callAsync(KIND, text("never"), id(server),
        Duration.ofMillis(1_500));
    sockets.resume();
    server.awaitPeer(0, PROMPTLY).close();
    server.awaitRequests(2, PROMPTLY); // warm, then "never" on the new connection

    Throwable timedOut = failureOf(never);
    assertThat(timedOut).isInstanceOf(java.net.SocketTimeoutException.class)
        .hasMessageContaining("timed out after 1500 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("counted from the call's start, not from the resend")
        .isLessThan(Duration.ofMillis(1_500).plus(Duration.ofSeconds(1)));
    assertThat(failureOf(stuck)).isInstanceOf(IOException.class);
    assertThat(List.of(requestsFor(server, "never"))).containsExactly(1L);
  }
}

package io.tusk.rpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.testing.Await;
import io.tusk.rpc.testing.ScriptedServer;
import io.tusk.rpc.testing.ScriptedServer.Action;
import io.tusk.rpc.testing.Threads;
import io.tusk.rpc.wire.FrameEncoder;
import io.tusk.rpc.wire.HadoopNames;
import io.tusk.rpc.wire.RpcConstants;
import io.tusk.rpc.wire.RpcHeaders;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/** Every way a call can fail: each fails promptly, clearly, and leaves the client usable. */
@Timeout(30)
class ClientFailureTest extends ClientTestSupport {

  /** "wait" is never answered, "fatal"/"close"/"big" do what they say, anything else echoes. */
  private static Action script(ScriptedServer.Request r) {
    return switch (r.payloadText()) {
      case "wait" -> Action.none();
      case "fatal" -> Action.fatal("org.apache.hadoop.ipc.RpcServerException",
          "Unknown rpc kind in rpc header RPC_WHATEVER", RpcErrorCodeProto.FATAL_INVALID_RPC_HEADER);
      case "fatal-for-nobody" -> Action.fatal(HadoopNames.VERSION_MISMATCH,
          "Server IPC version 10 cannot communicate with client version 9",
          RpcErrorCodeProto.FATAL_VERSION_MISMATCH).forCallId(RpcConstants.INVALID_CALL_ID);
      case "close" -> Action.closeConnection();
      case "big" -> Action.reply(new byte[4096]);
      case "crossed" -> Action.raw(responseWithClientId(r, new byte[16]));
      case "anonymous" -> Action.raw(responseWithClientId(r, new byte[0]));
      default -> Action.reply("re:" + r.payloadText());
    };
  }

  /** A SUCCESS frame answering {@code r} with "re:..." under the given client id. */
  private static byte[] responseWithClientId(ScriptedServer.Request r, byte[] clientId) {
    try {
      return new FrameEncoder().encodeToArray(
          RpcHeaders.success(r.callId(), ByteString.copyFrom(clientId), 0),
          RpcPayload.ofBytes(("re:" + r.payloadText()).getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String addressOf(ScriptedServer server) {
    return server.address().toString(); // "/127.0.0.1:port"
  }

  @Test
  void fatalAnswerFailsTheCallAndEveryOtherPendingCallThenANewCallReconnects(TestInfo test)
      throws Exception {
    ScriptedServer server = server(test, ClientFailureTest::script);
    Client client = client(test, shortTimeouts());
    CompletableFuture<ByteBuffer> other1 = client.callAsync(KIND, text("wait"), id(server));
    CompletableFuture<ByteBuffer> other2 = client.callAsync(KIND, text("wait"), id(server));
    server.awaitRequests(2, PROMPTLY);

    Throwable fatal = catchThrowable(() -> client.call(KIND, text("fatal"), id(server)));

    assertThat(fatal).isInstanceOf(RemoteException.class)
        .hasMessage("Unknown rpc kind in rpc header RPC_WHATEVER");
    RemoteException remote = (RemoteException) fatal;
    assertThat(remote.getClassName()).isEqualTo("org.apache.hadoop.ipc.RpcServerException");
    assertThat(remote.getErrorCode()).isEqualTo(RpcErrorCodeProto.FATAL_INVALID_RPC_HEADER);
    for (CompletableFuture<ByteBuffer> other : java.util.List.of(other1, other2)) {
      assertThat(failureOf(other)).isInstanceOf(IOException.class)
          .isNotInstanceOf(RemoteException.class)
          .hasMessageContaining("Connection to " + addressOf(server) + " closed")
          .hasCause(remote);
    }

    assertThat(text(client.call(KIND, text("again"), id(server)))).isEqualTo("re:again");
    assertThat(server.peers()).hasSize(2);
    assertThat(client.connectionCount()).isEqualTo(1);
  }

  @Test
  void fatalAnswerForNoKnownCallFailsEveryCallWithTheRemoteException(TestInfo test)
      throws Exception {
    ScriptedServer server = server(test, ClientFailureTest::script);
    Client client = client(test, shortTimeouts());
    CompletableFuture<ByteBuffer> waiting = client.callAsync(KIND, text("wait"), id(server));
    server.awaitRequests(1, PROMPTLY);
    CompletableFuture<ByteBuffer> trigger =
        client.callAsync(KIND, text("fatal-for-nobody"), id(server));

    for (CompletableFuture<ByteBuffer> call : java.util.List.of(waiting, trigger)) {
      Throwable failure = failureOf(call);
      assertThat(failure).isInstanceOf(RemoteException.class);
      assertThat(((RemoteException) failure).getClassName())
          .isEqualTo(HadoopNames.VERSION_MISMATCH);
      assertThat(((RemoteException) failure).getErrorCode())
          .isEqualTo(RpcErrorCodeProto.FATAL_VERSION_MISMATCH);
    }
    Await.until(() -> client.connectionCount() == 0, PROMPTLY, "the connection to close");
  }

  @Test
  void serverClosingMidCallFailsEveryPendingCallPromptlyNamingTheAddress(TestInfo test)
      throws Exception {
    ScriptedServer server = server(test, ClientFailureTest::script);
    Client client = client(test, shortTimeouts());
    CompletableFuture<ByteBuffer> waiting1 = client.callAsync(KIND, text("wait"), id(server));
    CompletableFuture<ByteBuffer> waiting2 = client.callAsync(KIND, text("wait"), id(server));
    server.awaitRequests(2, PROMPTLY);

    long start = System.nanoTime();
    Throwable closed = catchThrowable(() -> client.call(KIND, text("close"), id(server)));

    assertThat(closed).isInstanceOf(IOException.class)
        .hasMessageContaining("Connection to " + addressOf(server) + " closed while waiting for call #2");
    for (CompletableFuture<ByteBuffer> call : java.util.List.of(waiting1, waiting2)) {
      assertThat(failureOf(call)).isInstanceOf(IOException.class)
          .hasMessageContaining(addressOf(server))
          .hasMessageContaining("closed while waiting for call #");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
    assertThat(text(client.call(KIND, text("back"), id(server)))).isEqualTo("re:back");
    assertThat(server.peers()).hasSize(2);
  }

  @Test
  void unansweredCallTimesOutAfterTheRpcTimeoutAndALiveConnectionStaysUsable(TestInfo test)
      throws Exception {
    AtomicReference<ScriptedServer.Request> unanswered = new AtomicReference<>();
    ScriptedServer server = server(test, r -> {
      if (r.payloadText().equals("slow")) {
        unanswered.set(r);
        return Action.none();
      }
      return Action.reply("re:" + r.payloadText());
    });
    ClientOptions d = ClientOptions.defaults();
    Client client = client(test,
        options(Duration.ofMillis(400), d.pingInterval(), d.maxIdleTime(), d.maxResponseLength()));
    CompletableFuture<Throwable> slow = new CompletableFuture<>();
    CompletableFuture<Long> elapsedMs = new CompletableFuture<>();
    Thread caller = new Thread(() -> {
      long start = System.nanoTime();
      slow.complete(catchThrowable(() -> client.call(KIND, text("slow"), id(server))));
      elapsedMs.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }, client.name() + "-test-caller");
    caller.start();
    server.awaitRequests(1, PROMPTLY);
    // An answer arrives while the slow call waits: the connection is alive.
    assertThat(text(client.call(KIND, text("quick"), id(server)))).isEqualTo("re:quick");

    assertThat(slow.get(5, TimeUnit.SECONDS)).isInstanceOf(SocketTimeoutException.class)
        .hasMessageContaining("Call #0")
        .hasMessageContaining(addressOf(server))
        .hasMessageContaining("400 ms");
    assertThat(elapsedMs.get(5, TimeUnit.SECONDS)).isBetween(390L, 4_000L);
    // The late answer is dropped; the next call on the same connection gets its own answer.
    unanswered.get().respond(Action.reply("too late"));
    assertThat(text(client.call(KIND, text("next"), id(server)))).isEqualTo("re:next");
    assertThat(text(client.call(KIND, text("and"), id(server), Duration.ofSeconds(5))))
        .isEqualTo("re:and");
    assertThat(server.peers()).hasSize(1);
    assertThat(client.connectionCount()).isEqualTo(1);
  }

  @Test
  void nothingListeningFailsWithConnectExceptionAfterEveryAttempt(TestInfo test)
      throws Exception {
    int port;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = gone.getLocalPort();
    }
    AtomicInteger sockets = new AtomicInteger();
    SocketFactory counting = new CountingSocketFactory(sockets);
    Client client = client(test, Client.builder().options(shortTimeouts()).socketFactory(counting));
    ConnectionId nowhere = new ConnectionId(
        new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), PROTOCOL, USER);

    Throwable failure = catchThrowable(() -> client.call(KIND, text("x"), nowhere));

    assertThat(failure).isInstanceOf(ConnectException.class)
        .hasMessageContaining("Call to /127.0.0.1:" + port + " failed on connection exception")
        .hasMessageContaining("after 3 attempts")
        .hasCauseInstanceOf(ConnectException.class);
    assertThat(sockets.get()).isEqualTo(client.options().maxConnectRetries() + 1).isEqualTo(3);
    assertThat(failureOf(client.callAsync(KIND, text("y"), nowhere)))
        .isInstanceOf(ConnectException.class).hasMessageContaining("after 3 attempts");
    assertThat(sockets.get()).isEqualTo(6);
    assertThat(client.connectionCount()).isZero();
  }

  @Test
  void pingsWhileACallWaitsLongerThanThePingInterval(TestInfo test) throws Exception {
    ScriptedServer server = server(test, r ->
        Action.after(Duration.ofMillis(800), Action.reply("finally")));
    ClientOptions d = ClientOptions.defaults();
    Client client = client(test,
        options(Duration.ZERO, Duration.ofMillis(100), d.maxIdleTime(), d.maxResponseLength()));

    assertThat(text(client.call(KIND, text("long"), id(server)))).isEqualTo("finally");

    assertThat(server.pingCount()).isGreaterThanOrEqualTo(2);
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void idleConnectionClosesItselfAndTheNextCallReconnects(TestInfo test) throws Exception {
    ScriptedServer server = server(test, ClientFailureTest::script);
    ClientOptions d = ClientOptions.defaults();
    Client client = client(test,
        options(d.rpcTimeout(), d.pingInterval(), Duration.ofMillis(200), d.maxResponseLength()));

    assertThat(text(client.call(KIND, text("one"), id(server)))).isEqualTo("re:one");
    server.peers().get(0).awaitEnded(PROMPTLY);
    Await.until(() -> client.connectionCount() == 0, PROMPTLY, "the idle connection to close");
    Threads.assertNoneAlive(client.name() + "-receiver", PROMPTLY);

    assertThat(text(client.call(KIND, text("two"), id(server)))).isEqualTo("re:two");
    assertThat(server.peers()).hasSize(2);
    assertThat(server.pingCount()).isZero();
  }

  @Test
  void closeFailsPendingCallsLeavesNoThreadAndLaterCallsFailFast(TestInfo test)
      throws Exception {
    ScriptedServer server = server(test, ClientFailureTest::script);
    Client client = client(test, shortTimeouts());
    CompletableFuture<ByteBuffer> async = client.callAsync(KIND, text("wait"), id(server));
    CompletableFuture<Throwable> blocked = new CompletableFuture<>();
    Thread caller = new Thread(() -> blocked.complete(catchThrowable(() ->
        client.call(KIND, text("wait"), new ConnectionId(server.address(), "other", USER)))),
        client.name() + "-test-blocked-caller");
    caller.start();
    server.awaitRequests(2, PROMPTLY);
    assertThat(client.connectionCount()).isEqualTo(2);

    client.close();

    assertThat(failureOf(async)).isInstanceOf(IOException.class)
        .hasMessageContaining(addressOf(server)).hasMessageContaining("client closed");
    assertThat(blocked.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class)
        .hasMessageContaining(addressOf(server)).hasMessageContaining("client closed");
    Threads.assertNoneAlive(client.name(), PROMPTLY);
    assertThat(client.connectionCount()).isZero();

    assertThatThrownBy(() -> client.call(KIND, text("late"), id(server)))
        .isInstanceOf(IOException.class).hasMessageContaining("is closed");
    assertThat(failureOf(client.callAsync(KIND, text("late"), id(server))))
        .hasMessageContaining("is closed");
    client.close(); // idempotent
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void responseLongerThanTheMaximumClosesTheConnectionWithAClearError(TestInfo test)
      throws Exception {
    ScriptedServer server = server(test, ClientFailureTest::script);
    ClientOptions d = ClientOptions.defaults();
    Client client = client(test,
        options(d.rpcTimeout(), d.pingInterval(), d.maxIdleTime(), 1024));

    Throwable failure = catchThrowable(() -> client.call(KIND, text("big"), id(server)));

    assertThat(failure).isInstanceOf(IOException.class)
        .hasMessageContaining(addressOf(server))
        .hasMessageContaining("exceeds the maximum response length of 1024 bytes");
    Await.until(() -> client.connectionCount() == 0, PROMPTLY, "the connection to close");
    assertThat(text(client.call(KIND, text("small"), id(server)))).isEqualTo("re:small");
  }

  @Test
  void aResponseCarryingAnotherClientsIdClosesTheConnectionAnEmptyIdIsAccepted(TestInfo test)
      throws Exception {
    ScriptedServer server = server(test, ClientFailureTest::script);
    Client client = client(test, shortTimeouts());

    assertThat(text(client.call(KIND, text("anonymous"), id(server)))).isEqualTo("re:anonymous");
    Throwable crossed = catchThrowable(() -> client.call(KIND, text("crossed"), id(server)));

    assertThat(crossed).isInstanceOf(IOException.class)
        .hasMessageContaining(addressOf(server))
        .hasMessageContaining("Client IDs not matched")
        .hasMessageContaining("ID in response=00000000000000000000000000000000");
    Await.until(() -> client.connectionCount() == 0, PROMPTLY, "the connection to close");
    assertThat(text(client.call(KIND, text("fine"), id(server)))).isEqualTo("re:fine");
    assertThat(server.peers()).hasSize(2);
  }

  @Test
  void interruptedWaitThrowsInterruptedIoExceptionKeepsTheFlagAndAbandonsTheCall(TestInfo test)
      throws Exception {
    ScriptedServer server = server(test, ClientFailureTest::script);
    Client client = client(test, shortTimeouts());
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    CompletableFuture<Boolean> flag = new CompletableFuture<>();
    Thread caller = new Thread(() -> {
      failure.complete(catchThrowable(
          () -> client.call(KIND, text("wait"), id(server), Duration.ZERO)));
      flag.complete(Thread.currentThread().isInterrupted());
    }, client.name() + "-test-caller");
    caller.start();
    server.awaitRequests(1, PROMPTLY);

    caller.interrupt();

    assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class)
        .hasMessageContaining("call #0").hasMessageContaining(addressOf(server));
    assertThat(flag.get(5, TimeUnit.SECONDS)).isTrue();
    // The abandoned call's late answer is dropped; the connection goes on.
    server.requests().get(0).respond(Action.reply("late"));
    assertThat(text(client.call(KIND, text("next"), id(server)))).isEqualTo("re:next");
    assertThat(server.peers()).hasSize(1);
  }

  @Test
  void anInterruptedCallerStopsWaitingWhileTheSharedSetupGoesOnForTheOthers(TestInfo test)
      throws Exception {
    int port;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = gone.getLocalPort();
    }
    AtomicInteger sockets = new AtomicInteger();
    ClientOptions patient = ClientOptions.builder().connectTimeout(Duration.ofSeconds(5))
        .maxConnectRetries(100).connectRetryInterval(Duration.ofSeconds(10)).build();
    Client client = client(test, Client.builder().options(patient)
        .socketFactory(new CountingSocketFactory(sockets)));
    ConnectionId nowhere = new ConnectionId(
        new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), PROTOCOL, USER);
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    CompletableFuture<Boolean> flag = new CompletableFuture<>();
    Thread caller = new Thread(() -> {
      failure.complete(catchThrowable(() -> client.call(KIND, text("x"), nowhere)));
      flag.complete(Thread.currentThread().isInterrupted());
    }, client.name() + "-test-caller");
    caller.start();
    Await.until(() -> sockets.get() >= 1, PROMPTLY, "the first connect attempt");
    CompletableFuture<ByteBuffer> other = client.callAsync(KIND, text("y"), nowhere);

    caller.interrupt();

    assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class)
        .hasMessageContaining("/127.0.0.1:" + port);
    assertThat(flag.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(other).as("the other caller still waits for the same setup").isNotDone();
    assertThat(client.pendingCallCount()).isEqualTo(1);
    assertThat(sockets.get()).as("no second setup was started").isEqualTo(1);
  }

  @Test
  void closeWakesACallerWaitingBetweenConnectAttempts(TestInfo test) throws Exception {
    int port;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = gone.getLocalPort();
    }
    AtomicInteger sockets = new AtomicInteger();
    ClientOptions d = ClientOptions.defaults();
    ClientOptions patient = new ClientOptions(Duration.ofSeconds(5), 100, Duration.ofSeconds(10),
        d.rpcTimeout(), d.pingInterval(), true, d.maxIdleTime(), d.maxResponseLength(), true);
    Client client = client(test, Client.builder().options(patient)
        .socketFactory(new CountingSocketFactory(sockets)));
    ConnectionId nowhere = new ConnectionId(
        new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), PROTOCOL, USER);
    CompletableFuture<ByteBuffer> call = CompletableFuture.supplyAsync(
        () -> client.callAsync(KIND, text("x"), nowhere).join(),
        r -> new Thread(r, client.name() + "-test-caller").start());
    Await.until(() -> sockets.get() >= 1, PROMPTLY, "the first connect attempt");

    client.close();

    assertThat(failureOf(call)).hasMessageContaining(nowhere.address().toString())
        .hasMessageContaining("client closed");
    assertThat(sockets.get()).isEqualTo(1);
  }
}

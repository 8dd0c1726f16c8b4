package io.tusk.rpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.testing.Await;
import io.tusk.rpc.testing.FullBacklogServer;
import io.tusk.rpc.testing.NeverReadingServer;
import io.tusk.rpc.testing.ScriptedServer;
import io.tusk.rpc.testing.ScriptedServer.Action;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * One deadline per call covers connect, send and response: calls to servers that never answer the
 * connect, stop reading, or go silent all end by their deadline, and the client moves on.
 */
@Timeout(60)
class ClientDeadlineTest extends ClientTestSupport {
  private static final Duration SLACK = Duration.ofSeconds(1);

  private final List<AutoCloseable> peers = new ArrayList<>();

  @AfterEach
  void closePeers() throws Exception {
    for (AutoCloseable peer : peers) {
      peer.close();
    }
  }

  private static ClientOptions patientConnect(Duration rpcTimeout) {
    ClientOptions d = ClientOptions.defaults();
    return new ClientOptions(Duration.ofSeconds(20), 0, Duration.ofMillis(20), rpcTimeout,
        d.pingInterval(), true, d.maxIdleTime(), d.maxResponseLength(), true);
  }

  private NeverReadingServer neverReading(TestInfo test) throws IOException {
    NeverReadingServer server = NeverReadingServer.start(
        Threads.uniqueName("nr-" + test.getTestMethod().orElseThrow().getName()));
    peers.add(server);
    return server;
  }

  private FullBacklogServer neverAnsweringConnect() throws IOException {
    FullBacklogServer server = FullBacklogServer.start();
    peers.add(server);
    return server;
  }

  /** What a thread's call ended with, and after how long. */
  private record Outcome(Throwable failure, long elapsedMs) {}

  private static CompletableFuture<Outcome> inThread(String name, ThrowingCall call) {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      long start = System.nanoTime();
      Throwable failure = catchThrowable(call::run);
      outcome.complete(new Outcome(failure,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
    }, name);
    t.setDaemon(true);
    t.start();
    return outcome;
  }

  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws Exception;
  }

  @Test
  void everyCallToAServerThatStopsReadingEndsWithinItsDeadlineNamingTheServer(TestInfo test)
      throws Exception {
    NeverReadingServer server = neverReading(test);
    ClientOptions d = ClientOptions.defaults();
    Client client = client(test, options(Duration.ofSeconds(2), d.pingInterval(), d.maxIdleTime(),
        d.maxResponseLength()));
    ConnectionId remote = new ConnectionId(server.address(), PROTOCOL, USER);
    RpcPayload oneMiB = RpcPayload.ofBytes(new byte[1 << 20]);

    List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      outcomes.add(inThread(client.name() + "-test-caller-" + i,
          () -> client.call(KIND, oneMiB, remote)));
    }

    for (CompletableFuture<Outcome> f : outcomes) {
      Outcome o = f.get(20, TimeUnit.SECONDS);
      assertThat(o.failure()).isInstanceOf(SocketTimeoutException.class)
          .hasMessageContaining(server.address().toString())
          .hasMessageContaining("2000 ms");
      assertThat(o.elapsedMs()).isLessThanOrEqualTo(2_000 + SLACK.toMillis());
    }
  }

  @Test
  @Timeout(30)
  void callAsyncReturnsAtOnceAndFailsAtItsDeadlineWhenTheConnectIsNeverAnswered(TestInfo test)
      throws Exception {
    FullBacklogServer server = neverAnsweringConnect();
    Client client = client(test, patientConnect(Duration.ofSeconds(1)));
    ConnectionId remote = new ConnectionId(server.address(), PROTOCOL, USER);

    long start = System.nanoTime();
    CompletableFuture<ByteBuffer> call = client.callAsync(KIND, text("x"), remote);

    assertThat(call).as("callAsync returned before the connect ended").isNotDone();
    Throwable failure = catchThrowable(() -> call.get(10, TimeUnit.SECONDS));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(failure).isInstanceOf(ExecutionException.class);
    assertThat(failure.getCause()).isInstanceOf(SocketTimeoutException.class)
        .hasMessageContaining(server.address().toString())
        .hasMessageContaining("1000 ms");
    assertThat(elapsedMs).isLessThanOrEqualTo(1_000 + SLACK.toMillis());
  }

  @Test
  @Timeout(30)
  void callersSharingAHangingSetupEachEndByTheirOwnDeadlineAndAnInterruptHitsOnlyItsWaiter(
      TestInfo test) throws Exception {
    FullBacklogServer server = neverAnsweringConnect();
    AtomicInteger sockets = new AtomicInteger();
    CountingSocketFactory factory = new CountingSocketFactory(sockets);
    Client client = client(test, Client.builder().options(patientConnect(Duration.ZERO))
        .socketFactory(factory));
    ConnectionId remote = new ConnectionId(server.address(), PROTOCOL, USER);

    // The patient one starts first: it is the one that would connect on its own thread.
    CompletableFuture<Thread> patientThread = new CompletableFuture<>();
    CompletableFuture<Outcome> patient = inThread(client.name() + "-test-patient", () -> {
      patientThread.complete(Thread.currentThread());
      client.call(KIND, text("patient"), remote, Duration.ZERO);
    });
    List<CompletableFuture<Outcome>> timed = new ArrayList<>();
    long[] deadlines = {300, 900, 1_500};
    for (long ms : deadlines) {
      timed.add(inThread(client.name() + "-test-caller-" + ms,
          () -> client.call(KIND, text("x"), remote, Duration.ofMillis(ms))));
    }
    Outcome first = timed.get(0).get(10, TimeUnit.SECONDS);
    patientThread.get().interrupt();

    Outcome interrupted = patient.get(10, TimeUnit.SECONDS);
    assertThat(interrupted.failure()).isInstanceOf(InterruptedIOException.class)
        .hasMessageContaining(server.address().toString());
    List<Outcome> outcomes = new ArrayList<>(List.of(first));
    outcomes.add(timed.get(1).get(10, TimeUnit.SECONDS));
    outcomes.add(timed.get(2).get(10, TimeUnit.SECONDS));
    for (int i = 0; i < deadlines.length; i++) {
      Outcome o = outcomes.get(i);
      assertThat(o.failure()).as("caller with %s ms", deadlines[i])
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessageContaining(server.address().toString())
          .hasMessageContaining(deadlines[i] + " ms");
      assertThat(o.elapsedMs()).as("caller with %s ms", deadlines[i])
          .isBetween(deadlines[i] - 20, deadlines[i] + SLACK.toMillis());
    }
    assertThat(sockets.get()).as("all of them waited on one connect").isEqualTo(1);
    assertThat(client.pendingCallCount()).isZero();

    // Nobody waits any more: the setup is abandoned (its 20 s connect too), and a new call
    // connects afresh instead of joining it.
    Await.until(() -> factory.closed() == 1, PROMPTLY, "the abandoned connect to be ended");
    CompletableFuture<ByteBuffer> again = client.callAsync(KIND, text("again"), remote,
        Duration.ofMillis(100));
    assertThat(catchThrowable(() -> again.get(5, TimeUnit.SECONDS)))
        .hasCauseInstanceOf(SocketTimeoutException.class);
    assertThat(sockets.get()).as("a fresh connect attempt").isEqualTo(2);
  }

  @Test
  void everyWayOfCompletingAnAsyncCallLeavesNoPendingEntrySoTheConnectionIdlesOut(TestInfo test)
      throws Exception {
    ScriptedServer server = server(test, r -> r.payloadText().equals("open")
        ? Action.reply("opened") : Action.none());
    ClientOptions d = ClientOptions.defaults();
    Client client = client(test, options(Duration.ZERO, d.pingInterval(), Duration.ofMillis(300),
        d.maxResponseLength()));
    ConnectionId remote = id(server);
    assertThat(text(client.call(KIND, text("open"), remote))).isEqualTo("opened");
    List<CompletableFuture<ByteBuffer>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(client.callAsync(KIND, text("call-" + i), remote));
    }
    server.awaitRequests(1 + calls.size(), PROMPTLY);
    assertThat(client.pendingCallCount()).isEqualTo(calls.size());

    CompletableFuture<ByteBuffer> timedOut = calls.get(0).orTimeout(100, TimeUnit.MILLISECONDS);
    calls.get(1).complete(ByteBuffer.allocate(0));
    calls.get(2).completeExceptionally(new IOException("gave up"));
    calls.get(3).cancel(false);
    calls.get(4).obtrudeValue(ByteBuffer.allocate(0));
    CompletableFuture<ByteBuffer> filledIn = calls.get(5)
        .completeOnTimeout(ByteBuffer.allocate(0), 50, TimeUnit.MILLISECONDS);

    assertThat(catchThrowable(() -> timedOut.get(5, TimeUnit.SECONDS)))
        .hasCauseInstanceOf(TimeoutException.class);
    assertThat(filledIn.get(5, TimeUnit.SECONDS).remaining()).isZero();
    assertThat(client.pendingCallCount()).isZero();
    Await.until(() -> client.connectionCount() == 0, PROMPTLY,
        "the connection, with nothing pending, to idle out");
    server.peers().get(0).awaitEnded(PROMPTLY);
    assertThat(server.pingCount()).isZero();
  }

  @Test
  void aCallThatTimedOutOnASilentConnectionSendsTheNextCallOnANewOne(TestInfo test)
      throws Exception {
    // The first connection swallows everything, as through a proxy that stopped forwarding.
    ScriptedServer server = server(test, r -> r.peer().index() == 0
        ? Action.none() : Action.reply("re:" + r.payloadText()));
    ClientOptions d = ClientOptions.defaults();
    Client client = client(test, options(Duration.ofMillis(500), d.pingInterval(),
        d.maxIdleTime(), d.maxResponseLength()));

    Throwable lost = catchThrowable(() -> client.call(KIND, text("lost"), id(server)));
    assertThat(lost).isInstanceOf(SocketTimeoutException.class)
        .hasMessageContaining(server.address().toString()).hasMessageContaining("500 ms");

    assertThat(text(client.call(KIND, text("next"), id(server)))).isEqualTo("re:next");
    assertThat(server.peers()).hasSize(2);
    server.peers().get(0).awaitEnded(PROMPTLY);
    assertThat(client.connectionCount()).isEqualTo(1);
  }
}

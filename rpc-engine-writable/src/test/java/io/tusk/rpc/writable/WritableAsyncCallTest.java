package io.tusk.rpc.writable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tusk.rpc.RPC;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ClientOptions;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.testing.Await;
import io.tusk.rpc.testing.FullBacklogServer;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.ScriptedServer;
import io.tusk.rpc.testing.ScriptedServer.Action;
import io.tusk.rpc.testing.Threads;
import io.tusk.rpc.writable.TestProtocols.Everything;
import io.tusk.rpc.writable.TestProtocols.EverythingImpl;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Writable engine's asynchronous calls: giving up on the future the engine returns gives up
 * the call underneath, and {@link RPC#call} asks every server at once.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class WritableAsyncCallTest {
  private static final Duration PROMPTLY = Duration.ofSeconds(5);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private String name;

  @BeforeEach
  void setUp() {
    name = Threads.uniqueName("wac");
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    toClose.add(resource);
    return resource;
  }

  @Test
  void cancellingOrTimingOutTheEnginesFutureAbandonsTheCallAndTheConnectionIdlesOut()
      throws Exception {
    ScriptedServer server = closeLater(ScriptedServer.start(name + "-srv", r -> Action.none()));
    ClientOptions d = ClientOptions.defaults();
    Client client = closeLater(Client.builder().name(name + "-cli").options(new ClientOptions(
        Duration.ofSeconds(5), 0, Duration.ofMillis(20), Duration.ZERO, d.pingInterval(), true,
        Duration.ofMillis(300), d.maxResponseLength(), true)).build());
    ConnectionId remote = new ConnectionId(server.address(), RPC.getProtocolName(Everything.class),
        "alice");
    Method concat = Everything.class.getMethod("concat", String.class, String.class);
    WritableRpcEngine engine = new WritableRpcEngine();

    CompletableFuture<Object> cancelled = engine.callAsync(concat, new Object[] {"a", "b"}, remote,
        client);
    CompletableFuture<Object> timedOut = engine.callAsync(concat, new Object[] {"c", "d"}, remote,
        client).orTimeout(100, TimeUnit.MILLISECONDS);
    server.awaitRequests(2, PROMPTLY);
    assertThat(cancelled.cancel(true)).isTrue();

    assertThat(catchThrowable(() -> timedOut.get(5, TimeUnit.SECONDS)))
        .hasCauseInstanceOf(TimeoutException.class);
    assertThat(client.pendingCallCount()).isZero();
    Await.until(() -> client.connectionCount() == 0, PROMPTLY,
        "the connection, with nothing pending, to idle out");
  }

  @Test
  void rpcCallCancelsTheCallsStillInFlightWhenAnEarlierServerFails() throws Exception {
    int refusing;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      refusing = probe.getLocalPort();
    }
    ScriptedServer silent = closeLater(ScriptedServer.start(name + "-srv", r -> Action.none()));
    Configuration conf = new Configuration().setInt(IpcKeys.CLIENT_CONNECT_MAX_RETRIES, 0)
        .setInt(IpcKeys.CLIENT_RPC_TIMEOUT_MS, 30_000);
    // Hold a reference to the client RPC.call will use, so that it outlives the call.
    Client shared = RPC.clientCache().acquire(ClientOptions.fromConfiguration(conf),
        javax.net.SocketFactory.getDefault());
    toClose.add(() -> RPC.clientCache().release(shared));
    Method concat = Everything.class.getMethod("concat", String.class, String.class);

    Throwable failure = catchThrowable(() -> RPC.call(concat,
        new Object[][] {{"a", "b"}, {"c", "d"}},
        new InetSocketAddress[] {new InetSocketAddress("127.0.0.1", refusing),
            silent.address()}, conf));

    assertThat(failure).isInstanceOf(IOException.class)
        .hasMessageContaining("Everything.concat on /127.0.0.1:" + refusing);
    assertThat(shared.pendingCallCount()).as("the silent server's call was cancelled").isZero();
  }

  @Test
  void rpcCallAsksTheLiveServerAtOnceWhileAnotherNeverAnswersTheConnect() throws Exception {
    FullBacklogServer dead = closeLater(FullBacklogServer.start());
    Configuration conf = new Configuration().setInt(IpcKeys.CLIENT_CONNECT_MAX_RETRIES, 0)
        .setInt(IpcKeys.CLIENT_CONNECT_TIMEOUT, 20_000)
        .setInt(IpcKeys.CLIENT_RPC_TIMEOUT_MS, 2_000);
    EverythingImpl impl = new EverythingImpl("live");
    RPC.Server live = closeLater(new RPC.Builder(conf).setProtocol(Everything.class)
        .setInstance(impl).setBindAddress("127.0.0.1").setPort(0).setNumHandlers(1)
        .setName(name).build().start());
    Method remember = Everything.class.getMethod("remember", String.class);

    long start = System.nanoTime();
    Throwable failure = catchThrowable(() -> RPC.call(remember, new Object[][] {{"a"}, {"b"}},
        new InetSocketAddress[] {dead.address(), new InetSocketAddress("127.0.0.1",
            live.getPort())}, conf));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(failure).isInstanceOf(IOException.class)
        .hasMessageContaining("Everything.remember on " + dead.address());
    assertThat(elapsedMs).as("ends by the RPC timeout plus a second")
        .isLessThanOrEqualTo(3_000);
    assertThat(impl.recall()).as("the live server was called meanwhile").isEqualTo("b");
    assertThat(RPC.clientCache().size()).as("RPC.call gives its client back").isZero();
    Threads.assertNoneAlive("tusk-rpc-client-", Duration.ofSeconds(10));
  }
}

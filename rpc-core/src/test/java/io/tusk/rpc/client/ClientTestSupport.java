package io.tusk.rpc.client;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.ScriptedServer;
import io.tusk.rpc.testing.Threads;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Shared plumbing for client tests: unique names, short timeouts, and cleanup that proves each
 * test left no client or server thread behind.
 */
@ExtendWith(LeakCheck.class)
abstract class ClientTestSupport {
  static final Duration PROMPTLY = Duration.ofSeconds(5);
  static final String PROTOCOL = "test.Proto";
  static final String USER = "alice";

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<String> threadNames = new ArrayList<>();
  private final List<ScriptedServer> servers = new ArrayList<>();

  /** Options with short connect retries; every other setting as given or Hadoop's default. */
  static ClientOptions options(Duration rpcTimeout, Duration pingInterval, Duration maxIdleTime,
      int maxResponseLength) {
    ClientOptions d = ClientOptions.defaults();
    return new ClientOptions(Duration.ofSeconds(5), 2, Duration.ofMillis(20), rpcTimeout,
        pingInterval, true, maxIdleTime, maxResponseLength, d.tcpNoDelay());
  }

  static ClientOptions shortTimeouts() {
    ClientOptions d = ClientOptions.defaults();
    return options(Duration.ofSeconds(20), d.pingInterval(), d.maxIdleTime(),
        d.maxResponseLength());
  }

  ScriptedServer server(TestInfo test, ScriptedServer.Script script) throws Exception {
    String name = Threads.uniqueName("srv-" + test.getTestMethod().orElseThrow().getName());
    ScriptedServer server = ScriptedServer.start(name, script);
    resources.add(server);
    servers.add(server);
    threadNames.add(name);
    return server;
  }

  Client client(TestInfo test, ClientOptions options) {
    return client(test, Client.builder().options(options));
  }

  Client client(TestInfo test, Client.Builder builder) {
    String name = Threads.uniqueName("cli-" + test.getTestMethod().orElseThrow().getName());
    Client client = builder.name(name).build();
    resources.add(client);
    threadNames.add(name);
    return client;
  }

  static ConnectionId id(ScriptedServer server) {
    return new ConnectionId(server.address(), PROTOCOL, USER);
  }

  static RpcPayload text(String s) {
    return RpcPayload.ofBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  static String text(ByteBuffer payload) {
    byte[] bytes = new byte[payload.remaining()];
    payload.duplicate().get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static final RpcKind KIND = RpcKind.RPC_PROTOCOL_BUFFER;

  @AfterEach
  void closeEverythingAndCheckForLeaks() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    for (String name : threadNames) {
      Threads.assertNoneAlive(name, PROMPTLY);
    }
    for (ScriptedServer server : servers) {
      if (!server.errors().isEmpty()) {
        throw new AssertionError("scripted server saw protocol errors: " + server.errors());
      }
    }
  }

  /** The failure of an asynchronous call, which must fail within {@link #PROMPTLY}. */
  static Throwable failureOf(CompletableFuture<ByteBuffer> call) throws Exception {
    try {
      call.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("call succeeded but should have failed");
  }
}

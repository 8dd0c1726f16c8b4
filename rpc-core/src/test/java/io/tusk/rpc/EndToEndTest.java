package io.tusk.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static io.tusk.rpc.testing.LoopbackPair.text;

import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.EchoEngine;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.LoopbackPair;
import io.tusk.rpc.testing.Threads;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tusk's client against Tusk's server over loopback, with the echo test engine (RPC_BUILTIN). */
@Timeout(120)
@ExtendWith(LeakCheck.class)
class EndToEndTest {
  private Server server;
  private Client client;
  private ConnectionId remote;
  private String name;

  private LoopbackPair pair;

  @BeforeEach
  void start() throws IOException {
    name = Threads.uniqueName("e2e");
    pair = LoopbackPair.start(name, Server.builder().handlerCount(4).readerCount(2)
        .engine(EchoEngine.registration()), "echo");
    server = pair.server();
    client = pair.client();
    remote = pair.remote();
  }

  @AfterEach
  void stop() {
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  void syncCallRoundTrips() throws IOException {
    assertThat(text(client.call(RpcKind.RPC_BUILTIN, text("ping me"), remote)))
        .isEqualTo("ping me");
  }

  @Test
  void asyncCallRoundTrips() throws Exception {
    CompletableFuture<ByteBuffer> f = client.callAsync(RpcKind.RPC_BUILTIN, text("later"), remote);

    assertThat(text(f.get())).isEqualTo("later");
  }

  @Test
  void sixtyFourThreadsTimesAThousandCallsShareOneConnection() throws Exception {
    int threads = 64;
    int calls = 1_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads,
        r -> new Thread(r, name + "-caller"));
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      results.add(pool.submit(() -> {
        go.await();
        int matched = 0;
        List<CompletableFuture<ByteBuffer>> inFlight = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
          String payload = "thread-" + thread + "-call-" + i;
          if (i % 2 == 0) {
            // synchronous
            if (text(client.call(RpcKind.RPC_BUILTIN, text(payload), remote)).equals(payload)) {
              matched++;
            }
          } else {
            sent.add(payload);
            inFlight.add(client.callAsync(RpcKind.RPC_BUILTIN, text(payload), remote));
          }
          if (inFlight.size() == 16 || i == calls - 1) {
            for (int k = 0; k < inFlight.size(); k++) {
              if (text(inFlight.get(k).get()).equals(sent.get(k))) {
                matched++;
              }
            }
            inFlight.clear();
            sent.clear();
          }
        }
        return matched;
      }));
    }
    go.countDown();
    int total = 0;
    for (Future<Integer> r : results) {
      total += r.get();
    }
    pool.shutdown();

    assertThat(total).isEqualTo(threads * calls);
    assertThat(client.connectionCount()).isEqualTo(1);
    assertThat(server.getNumOpenConnections()).isEqualTo(1);
  }

  @Test
  void applicationExceptionArrivesAsRemoteExceptionAndUnwraps() {
    RemoteException e = catchThrowableOfType(() -> client.call(RpcKind.RPC_BUILTIN,
        text("throw:java.io.FileNotFoundException:missing thing"), remote),
        RemoteException.class);

    assertThat(e.getClassName()).isEqualTo("java.io.FileNotFoundException");
    assertThat(e.getMessage()).isEqualTo("missing thing");
    assertThat(e.unwrapRemoteException(FileNotFoundException.class))
        .isInstanceOf(FileNotFoundException.class).hasMessage("missing thing");
  }

  @Test
  void serverSeesTheCallersUserAndAddress() throws IOException {
    String who = text(client.call(RpcKind.RPC_BUILTIN, text("whoami"), remote));

    assertThat(who).startsWith(remote.user() + " ").contains("127.0.0.1");
  }

  @Test
  void unregisteredKindFailsAndTheClientRecovers() throws IOException {
    RemoteException e = catchThrowableOfType(
        () -> client.call(RpcKind.RPC_WRITABLE, text("x"), remote), RemoteException.class);

    assertThat(e.getClassName()).isEqualTo("org.apache.hadoop.ipc.RpcServerException");
    assertThat(e.getMessage()).startsWith("Unknown rpc kind in rpc header");
    assertThat(text(client.call(RpcKind.RPC_BUILTIN, text("again"), remote))).isEqualTo("again");
  }

  @Test
  void serverClosedMidCallFailsTheCallPromptlyNamingTheAddress() throws Exception {
    CompletableFuture<ByteBuffer> slow = client.callAsync(RpcKind.RPC_BUILTIN, text("sleep:30000"),
        remote);
    // make sure the call reached the server before closing it
    assertThat(text(client.call(RpcKind.RPC_BUILTIN, text("first"), remote))).isEqualTo("first");
    server.shutdownNow();

    Throwable failure = catchThrowableOfType(slow::get, java.util.concurrent.ExecutionException.class)
        .getCause();
    assertThat(failure).isInstanceOf(IOException.class)
        .hasMessageContaining(String.valueOf(server.getListenerAddress().getPort()));
  }
}

package io.tusk.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ClientOptions;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.EchoEngine;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many callers on one connection that silently goes dead (a proxy that stops forwarding without
 * closing): the first timeouts abandon it and everything after runs on a fresh connection.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class SilentConnectionLoadTest {
  private static final int THREADS = 16;
  private static final int CALLS = 300;
  private static final Duration RPC_TIMEOUT = Duration.ofSeconds(1);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private String name;

  @BeforeEach
  void setUp() {
    name = Threads.uniqueName("silent");
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
  }

  @Test
  void aConnectionThatGoesSilentUnderLoadIsAbandonedAfterTheFirstTimeouts() throws Exception {
    Server server = Server.builder().name(name + "-srv").handlerCount(4)
        .engine(EchoEngine.registration()).build().start();
    toClose.add(server::close);
    SilencingProxy proxy = new SilencingProxy(name + "-proxy",
        new InetSocketAddress("127.0.0.1", server.getListenerAddress().getPort()));
    toClose.add(proxy);
    Client client = Client.builder().name(name + "-cli")
        .options(ClientOptions.builder().rpcTimeout(RPC_TIMEOUT).build()).build();
    toClose.add(client);
    ConnectionId remote = ConnectionId.of(proxy.address(), "echo");

    AtomicInteger ok = new AtomicInteger();
    AtomicInteger timedOut = new AtomicInteger();
    AtomicInteger otherFailures = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicLong slowestMs = new AtomicLong();
    List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    CountDownLatch finished = new CountDownLatch(THREADS);
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Thread caller = new Thread(() -> {
        try {
          for (int i = 0; i < CALLS; i++) {
            String payload = "t" + thread + "-" + i;
            long start = System.nanoTime();
            try {
              String answer = new String(toArray(client.call(RpcKind.RPC_BUILTIN,
                  RpcPayload.ofBytes(payload.getBytes(StandardCharsets.UTF_8)), remote)),
                  StandardCharsets.UTF_8);
              if (answer.equals(payload)) {
                ok.incrementAndGet();
              } else {
                unexpected.add(new AssertionError("wrong answer " + answer + " to " + payload));
              }
            } catch (SocketTimeoutException e) {
              timedOut.incrementAndGet();
            } catch (IOException e) {
              otherFailures.incrementAndGet();
              unexpected.add(e);
            }
            slowestMs.accumulateAndGet(
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
            if (done.incrementAndGet() == THREADS * CALLS / 4) {
              proxy.silenceAll();
            }
          }
        } finally {
          finished.countDown();
        }
      }, name + "-caller-" + t);
      caller.start();
    }

    assertThat(finished.await(45, TimeUnit.SECONDS)).as("every caller finished").isTrue();
    assertThat(unexpected).isEmpty();
    assertThat(ok.get() + timedOut.get()).isEqualTo(THREADS * CALLS);
    assertThat(timedOut.get()).as("only the calls caught on the dead connection fail")
        .isPositive().isLessThanOrEqualTo(2 * THREADS);
    assertThat(proxy.connections()).as("one dead connection, one fresh").isEqualTo(2);
    assertThat(slowestMs.get()).isLessThanOrEqualTo(RPC_TIMEOUT.toMillis() + 1_000);
  }

  private static byte[] toArray(java.nio.ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return bytes;
  }

  /**
   * Forwards each accepted connection to the target; {@link #silenceAll} makes the connections
   * open so far swallow everything in both directions without closing (later ones forward).
   */
  private static final class SilencingProxy implements AutoCloseable {
    private final String name;
    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> pumps = new CopyOnWriteArrayList<>();
    private final List<AtomicBoolean> silenced = new CopyOnWriteArrayList<>();

    SilencingProxy(String name, InetSocketAddress target) throws IOException {
      this.name = name;
      this.target = target;
      this.listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
      this.acceptor = new Thread(this::accept, name + "-accept");
      acceptor.start();
    }

    InetSocketAddress address() {
      return new InetSocketAddress("127.0.0.1", listener.getLocalPort());
    }

    int connections() {
      return silenced.size();
    }

    void silenceAll() {
      for (AtomicBoolean s : silenced) {
        s.set(true);
      }
    }

    private void accept() {
      try {
        while (true) {
          Socket client = listener.accept();
          Socket upstream = new Socket(target.getAddress(), target.getPort());
          sockets.add(client);
          sockets.add(upstream);
          AtomicBoolean quiet = new AtomicBoolean();
          int n = silenced.size();
          silenced.add(quiet);
          pump(client, upstream, quiet, name + "-up-" + n);
          pump(upstream, client, quiet, name + "-down-" + n);
        }
      } catch (IOException e) {
        // closed
      }
    }

    private void pump(Socket from, Socket to, AtomicBoolean quiet, String threadName) {
      Thread t = new Thread(() -> {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
          int n;
          while ((n = in.read(buffer)) >= 0) {
            if (!quiet.get()) {
              out.write(buffer, 0, n);
            }
          }
        } catch (IOException e) {
          // one side closed
        }
      }, threadName);
      pumps.add(t);
      t.start();
    }

    @Override
    public void close() throws Exception {
      listener.close();
      acceptor.join(5_000);
      for (Socket s : sockets) {
        s.close();
      }
      for (Thread t : pumps) {
        t.join(5_000);
      }
    }
  }
}

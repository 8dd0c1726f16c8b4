package io.tusk.rpc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.testing.FaultInjectingProxy.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The proxy over real loopback sockets, in front of a plain TCP echo server. */
@Timeout(30)
@ExtendWith(LeakCheck.class)
class FaultInjectingProxyTest {
  private static final Duration PROMPTLY = Duration.ofSeconds(5);
  /** How long "nothing arrives" is watched for: a bounded negative check, not a guess. */
  private static final int QUIET_MS = 300;

  private final String name = Threads.uniqueName("fip");
  private final List<Socket> clients = new ArrayList<>();
  private Echo echo;
  private FaultInjectingProxy proxy;

  @BeforeEach
  void startEcho() throws IOException {
    echo = new Echo(name + "-echo");
  }

  @AfterEach
  void closeAll() throws IOException {
    for (Socket s : clients) {
      s.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    echo.close();
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
  }

  private FaultInjectingProxy proxy(FaultPlan plan) throws IOException {
    proxy = FaultInjectingProxy.start(name, echo.address(), index -> plan);
    return proxy;
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    clients.add(s);
    s.connect(proxy.address(), 5_000);
    s.setSoTimeout((int) PROMPTLY.toMillis());
    return s;
  }

  private static void send(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String read(Socket s, int length) throws IOException {
    byte[] bytes = s.getInputStream().readNBytes(length);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Reads until EOF; a reset surfaces as the SocketException it is. */
  private static byte[] readToEnd(Socket s) throws IOException {
    return s.getInputStream().readAllBytes();
  }

  private static void assertNothingArrives(Socket s) throws IOException {
    s.setSoTimeout(QUIET_MS);
    assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
    s.setSoTimeout((int) PROMPTLY.toMillis());
  }

  @Test
  void passesBytesBothWaysAndCountsThem() throws Exception {
    proxy(FaultPlan.pass());
    Socket s = connect();
    byte[] data = new byte[1 << 20];
    new Random(1).nextBytes(data);
    CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> {
      try {
        return s.getInputStream().readNBytes(data.length);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    s.getOutputStream().write(data);

    assertThat(back.get(10, TimeUnit.SECONDS)).isEqualTo(data);
    // Each pump counts a chunk after writing it, so the counters may trail the bytes a moment.
    Await.until(PROMPTLY, "the counters to catch up",
        () -> proxy.bytesForwarded(Direction.SERVER_TO_CLIENT) == data.length
            && proxy.bytesForwarded(Direction.CLIENT_TO_SERVER) == data.length);
    assertThat(proxy.accepted()).isEqualTo(1);
    assertThat(proxy.openConnections()).isEqualTo(1);
    assertThat(proxy.bytesDiscarded(Direction.CLIENT_TO_SERVER)).isZero();
  }

  @Test
  void closeByTheClientReachesTheServerAndEndsTheProxiedConnection() throws Exception {
    proxy(FaultPlan.pass());
    Socket s = connect();
    send(s, "hi");
    assertThat(read(s, 2)).isEqualTo("hi");
    s.close();

    Echo.Peer peer = echo.awaitPeer(0);
    assertThat(peer.ended.await(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(peer.endedBy).isEqualTo("EOF");
    Await.until(PROMPTLY, "the proxied connection to close", () -> proxy.openConnections() == 0);
    assertThat(proxy.connection(0).clientClosed()).isTrue();
    assertThat(proxy.connection(0).closeReason()).isEqualTo("both sides closed");
  }

  @Test
  void resetAfterBytesForwardsThemThenSendsRstToBothPeers() throws Exception {
    proxy(FaultPlan.requests(Fault.resetAfter(10)));
    Socket s = connect();
    send(s, "0123456789abcdefghij");

    assertThatThrownBy(() -> readToEnd(s)).isInstanceOf(SocketException.class)
        .hasMessageContaining("reset");
    Echo.Peer peer = echo.awaitPeer(0);
    assertThat(peer.ended.await(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(peer.endedBy).contains("reset");
    assertThat(peer.received.get()).isEqualTo(10);
    assertThat(proxy.faultsStarted(Fault.Kind.RESET)).isEqualTo(1);
    // The peers may see the RST a moment before the proxy's bookkeeping catches up.
    Await.until(PROMPTLY, "the proxied connection to close", () -> proxy.openConnections() == 0);
  }

  @Test
  void resetNowSendsRstBeforeAnyByte() throws Exception {
    proxy(FaultPlan.requests(Fault.resetNow()));

    // The RST may come so soon that it already fails the connect.
    assertThatThrownBy(() -> readToEnd(connect())).isInstanceOf(SocketException.class)
        .hasMessageContaining("reset");
    Echo.Peer peer = echo.awaitPeer(0);
    assertThat(peer.ended.await(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(peer.endedBy).contains("reset");
    assertThat(peer.received.get()).isZero();
  }

  @Test
  void truncateForwardsBytesThenClosesNormally() throws Exception {
    proxy(FaultPlan.responses(Fault.truncateAfter(5)));
    Socket s = connect();
    send(s, "0123456789");

    assertThat(new String(readToEnd(s), StandardCharsets.UTF_8)).isEqualTo("01234");
    Await.until(PROMPTLY, "the proxied connection to close", () -> proxy.openConnections() == 0);
    assertThat(proxy.bytesForwarded(Direction.SERVER_TO_CLIENT)).isEqualTo(5);
    assertThat(proxy.faultsStarted(Fault.Kind.TRUNCATE)).isEqualTo(1);
  }

  @Test
  void discardKeepsTheConnectionOpenWhileNothingMoreArrivesNotEvenTheClose() throws Exception {
    proxy(FaultPlan.requests(Fault.discardAfter(4)));
    Socket s = connect();
    send(s, "abcd");
    assertThat(read(s, 4)).isEqualTo("abcd");
    send(s, "efgh");

    Await.until(PROMPTLY, "the proxy to discard 4 bytes",
        () -> proxy.bytesDiscarded(Direction.CLIENT_TO_SERVER) == 4);
    assertNothingArrives(s);
    Echo.Peer peer = echo.awaitPeer(0);
    assertThat(peer.received.get()).isEqualTo(4);

    s.close();
    ProxiedConnection connection = proxy.connection(0);
    Await.until(PROMPTLY, "the proxy to see the client close", connection::clientClosed);
    assertThat(peer.ended.await(QUIET_MS, TimeUnit.MILLISECONDS)).as("server saw the close")
        .isFalse();
    assertThat(connection.isOpen()).isTrue();
  }

  @Test
  void stallStopsReadingSoTheSendersWritesBlock() throws Exception {
    proxy(FaultPlan.requests(Fault.stallAfter(0)));
    Socket s = connect();
    AtomicLong written = new AtomicLong();
    CountDownLatch writerDone = new CountDownLatch(1);
    Thread writer = new Thread(() -> {
      byte[] chunk = new byte[64 * 1024];
      try {
        for (int i = 0; i < 1024; i++) { // 64 MiB: far more than every socket buffer on the way
          s.getOutputStream().write(chunk);
          written.addAndGet(chunk.length);
        }
      } catch (IOException e) {
        // the socket was closed under the blocked write: that ends the test
      } finally {
        writerDone.countDown();
      }
    }, name + "-writer");
    writer.start();

    assertThat(writerDone.await(1, TimeUnit.SECONDS)).as("64 MiB written into a stall").isFalse();
    assertThat(written.get()).isLessThan(64L << 20);
    assertThat(proxy.bytesForwarded(Direction.CLIENT_TO_SERVER)).isZero();
    assertThat(proxy.bytesDiscarded(Direction.CLIENT_TO_SERVER)).isZero();
    assertThat(echo.awaitPeer(0).received.get()).isZero();
    assertThat(proxy.connection(0).isOpen()).isTrue();

    s.close();
    writer.join(PROMPTLY.toMillis());
    assertThat(writer.isAlive()).isFalse();
  }

  @Test
  void blackholeSilencesALiveConnectionInBothDirections() throws Exception {
    proxy(FaultPlan.pass());
    Socket s = connect();
    send(s, "hello");
    assertThat(read(s, 5)).isEqualTo("hello");
    ProxiedConnection connection = proxy.connection(0);

    connection.blackhole();
    send(s, "again");

    Await.until(PROMPTLY, "the proxy to discard the request",
        () -> connection.bytesDiscarded(Direction.CLIENT_TO_SERVER) == 5);
    assertNothingArrives(s);
    Echo.Peer peer = echo.awaitPeer(0);
    assertThat(peer.received.get()).isEqualTo(5);
    peer.write("unsolicited");
    Await.until(PROMPTLY, "the proxy to discard the server's bytes",
        () -> connection.bytesDiscarded(Direction.SERVER_TO_CLIENT) == "unsolicited".length());
    assertNothingArrives(s);

    s.close();
    Await.until(PROMPTLY, "the proxy to see the client close", connection::clientClosed);
    assertThat(peer.ended.await(QUIET_MS, TimeUnit.MILLISECONDS)).as("server saw the close")
        .isFalse();
    assertThat(proxy.openConnections()).isEqualTo(1);

    proxy.close();
    assertThat(peer.ended.await(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(proxy.openConnections()).isZero();
  }

  @Test
  void delayHoldsEveryChunk() throws Exception {
    proxy(FaultPlan.responses(Fault.delay(150)));
    Socket s = connect();
    long start = System.nanoTime();
    send(s, "x");
    assertThat(read(s, 1)).isEqualTo("x");

    // A lower bound the proxy itself guarantees, not a speed assertion.
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(
        TimeUnit.MILLISECONDS.toNanos(150));
    assertThat(proxy.faultsStarted(Fault.Kind.DELAY)).isEqualTo(1);
  }

  @Test
  void plannerChangesApplyToLaterConnectionsOnly() throws Exception {
    proxy(FaultPlan.pass());
    Socket first = connect();
    send(first, "1");
    assertThat(read(first, 1)).isEqualTo("1");

    proxy.planner(index -> FaultPlan.requests(Fault.resetNow()));

    assertThatThrownBy(() -> readToEnd(connect())).isInstanceOf(SocketException.class);
    send(first, "2");
    assertThat(read(first, 1)).isEqualTo("2");
    assertThat(proxy.accepted()).isEqualTo(2);
    assertThat(proxy.connection(1).plan().clientToServer()).isEqualTo(Fault.resetNow());
  }

  @Test
  void randomFaultsRepeatForTheSameSeedAndCoverEveryKind() {
    List<FaultPlan> one = plans(RandomFaults.builder().seed(42), 200);
    List<FaultPlan> two = plans(RandomFaults.builder().seed(42), 200);
    List<FaultPlan> other = plans(RandomFaults.builder().seed(43), 200);

    assertThat(one).isEqualTo(two).isNotEqualTo(other);
    Set<Fault.Kind> kinds = EnumSet.noneOf(Fault.Kind.class);
    for (FaultPlan plan : one) {
      kinds.add(plan.clientToServer().kind());
      kinds.add(plan.serverToClient().kind());
    }
    assertThat(kinds).containsExactlyInAnyOrder(Fault.Kind.values());
    assertThat(one).anyMatch(p -> p.clientToServer().afterBytes() == 0
        && p.clientToServer().kind() != Fault.Kind.PASS);
  }

  private static List<FaultPlan> plans(RandomFaults.Builder builder, int count) {
    RandomFaults faults = builder.reset(0.15).truncate(0.15).discard(0.15).stall(0.15)
        .delay(0.15, 50).maxTriggerBytes(10_000).atOnce(0.2).build();
    List<FaultPlan> plans = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      plans.add(faults.plan(i));
    }
    return plans;
  }

  /** A TCP echo server with one named thread per connection; records what each one saw. */
  private static final class Echo implements AutoCloseable {
    /** One accepted connection. */
    static final class Peer {
      final Socket socket;
      final AtomicLong received = new AtomicLong();
      final CountDownLatch ended = new CountDownLatch(1);
      volatile String endedBy;

      Peer(Socket socket) {
        this.socket = socket;
      }

      synchronized void write(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      }
    }

    private final String name;
    private final ServerSocket listener;
    private final List<Peer> peers = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    Echo(String name) throws IOException {
      this.name = name;
      this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      start(name + "-accept", this::acceptLoop);
    }

    InetSocketAddress address() {
      return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    Peer awaitPeer(int index) {
      Await.until(PROMPTLY, "echo connection #" + index, () -> peers.size() > index);
      return peers.get(index);
    }

    private void start(String threadName, Runnable body) {
      Thread t = new Thread(body, threadName);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }

    private void acceptLoop() {
      try {
        while (true) {
          Peer peer = new Peer(listener.accept());
          peers.add(peer);
          start(name + "-peer-" + peers.size(), () -> echo(peer));
        }
      } catch (IOException e) {
        // closed
      }
    }

    private void echo(Peer peer) {
      byte[] buffer = new byte[8192];
      try (Socket s = peer.socket) {
        InputStream in = s.getInputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
          peer.received.addAndGet(n);
          synchronized (peer) {
            s.getOutputStream().write(buffer, 0, n);
          }
        }
        peer.endedBy = "EOF";
      } catch (IOException e) {
        peer.endedBy = String.valueOf(e.getMessage());
      } finally {
        peer.ended.countDown();
      }
    }

    @Override
    public void close() throws IOException {
      listener.close();
      for (Peer p : peers) {
        p.socket.close();
      }
      for (Thread t : threads) {
        try {
          t.join(5_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}

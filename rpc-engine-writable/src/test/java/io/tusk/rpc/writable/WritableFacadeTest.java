package io.tusk.rpc.writable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.ProtocolProxy;
import io.tusk.rpc.ProtocolTranslator;
import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcEngine;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import io.tusk.rpc.writable.TestProtocols.Base;
import io.tusk.rpc.writable.TestProtocols.Child;
import io.tusk.rpc.writable.TestProtocols.ChildImpl;
import io.tusk.rpc.writable.TestProtocols.Everything;
import io.tusk.rpc.writable.TestProtocols.EverythingImpl;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The RPC facade with the Writable engine: servers, proxies, client sharing, waits, RPC.call. */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class WritableFacadeTest {
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private String name;
  private Configuration conf;

  @BeforeEach
  void setUp() {
    name = Threads.uniqueName("wfa");
    conf = new Configuration().setInt(IpcKeys.CLIENT_CONNECT_MAX_RETRIES, 0)
        .setInt(IpcKeys.CLIENT_CONNECT_RETRY_INTERVAL, 20);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
  }

  private RPC.Server serve(Class<?> protocol, Object impl, int port) throws IOException {
    RPC.Server server = new RPC.Builder(conf).setProtocol(protocol).setInstance(impl)
        .setBindAddress("127.0.0.1").setPort(port).setNumHandlers(1).setNumReaders(1)
        .setQueueSizePerHandler(10).setName(name).build().start();
    toClose.add(server);
    return server;
  }

  private static InetSocketAddress loopback(RPC.Server server) {
    return new InetSocketAddress("127.0.0.1", server.getPort());
  }

  private <T> T closeLater(T proxy) {
    toClose.add(() -> RPC.stopProxy(proxy));
    return proxy;
  }

  @Test
  void writableIsTheDefaultEngine() {
    RpcEngine engine = RPC.getProtocolEngine(Everything.class, new Configuration());

    assertThat(engine).isInstanceOf(WritableRpcEngine.class);
  }

  @Test
  void aProtocolExtendingAnotherServesBoth() throws IOException {
    RPC.Server server = serve(Child.class, new ChildImpl(), 0);
    Child child = closeLater(RPC.getProxy(Child.class, Child.versionID, loopback(server), conf));
    Base base = closeLater(RPC.getProxy(Base.class, Base.versionID, loopback(server), conf));

    assertThat(child.child("a")).isEqualTo("child:a");
    assertThat(child.base("b")).isEqualTo("base:b");
    assertThat(base.base("c")).isEqualTo("base:c");
    assertThat(child.getProtocolVersion(Child.class.getName(), 2)).isEqualTo(2);
  }

  @Test
  void protocolProxyAsksTheServerForItsMethodsOnce() throws Exception {
    ChildImpl impl = new ChildImpl();
    RPC.Server server = serve(Child.class, impl, 0);
    ProtocolProxy<Child> pp = RPC.getProtocolProxy(Child.class, Child.versionID,
        loopback(server), conf);
    closeLater(pp.getProxy());

    assertThat(pp.isMethodSupported("child", String.class)).isTrue();
    assertThat(pp.isMethodSupported("base", String.class)).isTrue();
    synchronized (impl) {
      assertThat(impl.signatureRequests).containsExactly(Child.class.getName() + "/2");
    }
    assertThatThrownBy(() -> pp.isMethodSupported("nope")).isInstanceOf(IOException.class);
  }

  @Test
  void stoppingTheLastProxyClosesTheSharedClient() throws IOException {
    RPC.Server server = serve(Everything.class, new EverythingImpl("s"), 0);
    InetSocketAddress addr = loopback(server);
    Everything first = RPC.getProxy(Everything.class, 3, addr, conf);
    Everything second = RPC.getProxy(Everything.class, 3, addr, conf);
    assertThat(first.add(1, 2)).isEqualTo(3);
    assertThat(second.add(2, 2)).isEqualTo(4);
    String receiver = "tusk-rpc-client-receiver@127.0.0.1:" + addr.getPort();
    assertThat(Threads.alive(receiver)).hasSize(1);

    RPC.stopProxy(first);
    RPC.stopProxy(first); // twice is harmless
    assertThat(second.add(3, 3)).as("the other proxy still works").isEqualTo(6);
    assertThat(Threads.alive(receiver)).hasSize(1);

    RPC.stopProxy(second);
    Threads.assertNoneAlive(receiver, Duration.ofSeconds(10));
    assertThat(RPC.getServerAddress(second)).isEqualTo(addr);
  }

  @Test
  void connectionIdAndClientOfAWritableProxy() throws IOException {
    RPC.Server server = serve(Everything.class, new EverythingImpl("s"), 0);
    InetSocketAddress addr = loopback(server);
    Everything proxy = closeLater(RPC.getProxy(Everything.class, 3, addr, conf));
    Everything other = closeLater(RPC.getProxy(Everything.class, 3, addr, conf));

    ConnectionId remote = RPC.getConnectionIdForProxy(proxy);
    assertThat(remote.address()).isEqualTo(addr);
    assertThat(remote.protocol()).isEqualTo(RPC.getProtocolName(Everything.class));
    assertThat(RPC.getClient(proxy)).as("proxies share their client")
        .isSameAs(RPC.getClient(other));
    // The client is the one that carries the proxy's calls (creating a proxy does not connect).
    assertThat(RPC.getClient(proxy).connectionCount()).isZero();
    assertThat(proxy.add(1, 2)).isEqualTo(3);
    assertThat(RPC.getClient(proxy).connectionCount()).isEqualTo(1);

    // A translator over the proxy is accepted in its place, as in Hadoop.
    ProtocolTranslator translator = () -> proxy;
    assertThat(RPC.getConnectionIdForProxy(translator)).isEqualTo(remote);
    assertThat(RPC.getServerAddress(translator)).isEqualTo(addr);

    // A proxy made by the engine itself, outside the facade, is one too.
    try (Client client = Client.builder().name(name + "-own").build()) {
      ConnectionId own = ConnectionId.of(addr, RPC.getProtocolName(Everything.class));
      Everything direct = new WritableRpcEngine().getProxy(Everything.class, 3, own, client);
      assertThat(RPC.getConnectionIdForProxy(direct)).isSameAs(own);
      assertThat(RPC.getClient(direct)).isSameAs(client);
    }
  }

  @Test
  void connectionIdForSomethingThatIsNoProxyIsAClearError() {
    assertThatThrownBy(() -> RPC.getConnectionIdForProxy("not a proxy"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an RPC proxy: java.lang.String");
    assertThatThrownBy(() -> RPC.getClient(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
    Runnable otherProxy = (Runnable) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {Runnable.class}, (p, m, a) -> null);
    assertThatThrownBy(() -> RPC.getClient(otherProxy))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an RPC proxy");
  }

  @Test
  void stopProxyRejectsWhatItCannotClose() {
    assertThatThrownBy(() -> RPC.stopProxy(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RPC.stopProxy("not a proxy"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Cannot close proxy");
  }

  @Test
  void waitForProxySucceedsOnceTheServerStarts() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    InetSocketAddress addr = new InetSocketAddress("127.0.0.1", port);
    CountDownLatch retrying = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    SocketFactory counting = new SocketFactory() {
      @Override
      public Socket createSocket() {
        if (attempts.incrementAndGet() == 2) {
          retrying.countDown(); // the first attempt failed: the server is not up yet
        }
        return new Socket();
      }

      @Override
      public Socket createSocket(String host, int p) throws IOException {
        return new Socket(host, p);
      }

      @Override
      public Socket createSocket(String host, int p, java.net.InetAddress local, int lp)
          throws IOException {
        return new Socket(host, p, local, lp);
      }

      @Override
      public Socket createSocket(java.net.InetAddress host, int p) throws IOException {
        return new Socket(host, p);
      }

      @Override
      public Socket createSocket(java.net.InetAddress host, int p, java.net.InetAddress local,
          int lp) throws IOException {
        return new Socket(host, p, local, lp);
      }
    };
    ExecutorService waiter = Executors.newSingleThreadExecutor(r -> new Thread(r, name + "-w"));
    try {
      CompletableFuture<Everything> proxy = CompletableFuture.supplyAsync(() -> {
        try {
          return RPC.waitForProtocolProxy(Everything.class, 3, addr, conf, counting, 0, 30_000)
              .getProxy();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, waiter);

      assertThat(retrying.await(20, TimeUnit.SECONDS)).as("waitForProxy retried").isTrue();
      assertThat(proxy).isNotDone();
      serve(Everything.class, new EverythingImpl("late"), port);

      Everything everything = closeLater(proxy.get(20, TimeUnit.SECONDS));
      assertThat(everything.concat("x", "y")).isEqualTo("late:xy");
    } finally {
      waiter.shutdownNow();
      assertThat(waiter.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void waitForProxyGivesUpAtItsDeadlineNamingTheServer() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    InetSocketAddress addr = new InetSocketAddress("127.0.0.1", port);

    assertThatThrownBy(() -> RPC.waitForProxy(Everything.class, 3, addr, conf, 200))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("Server at " + addr)
        .hasMessageContaining("not available after");
  }

  @Test
  void rpcCallCallsEveryServerAndKeepsTheOrder() throws Exception {
    InetSocketAddress one = loopback(serve(Everything.class, new EverythingImpl("one"), 0));
    InetSocketAddress two = loopback(serve(Everything.class, new EverythingImpl("two"), 0));
    Method concat = Everything.class.getMethod("concat", String.class, String.class);

    Object[] results = RPC.call(concat, new Object[][] {{"a", "1"}, {"b", "2"}, {"c", "3"}},
        new InetSocketAddress[] {two, one, two}, conf);

    assertThat(results).containsExactly("two:a1", "one:b2", "two:c3");
    int clientsBefore = RPC.clientCache().size();
    assertThat(clientsBefore).as("RPC.call gives its client back").isZero();
  }

  @Test
  void rpcCallFailsNamingTheServerThatFailed() throws Exception {
    InetSocketAddress up = loopback(serve(Everything.class, new EverythingImpl("up"), 0));
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    InetSocketAddress down = new InetSocketAddress("127.0.0.1", port);
    Method add = Everything.class.getMethod("add", int.class, int.class);

    assertThatThrownBy(() -> RPC.call(add, new Object[][] {{1, 2}, {3, 4}},
        new InetSocketAddress[] {up, down}, conf))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Everything.add on " + down);
  }

  @Test
  void clientsAreSharedPerSocketFactoryWhateverTheRpcTimeout() throws IOException {
    RPC.Server server = serve(Everything.class, new EverythingImpl("s"), 0);
    int before = RPC.clientCache().size();
    Everything a = closeLater(RPC.getProxy(Everything.class, 3, loopback(server), conf));
    Everything b = closeLater(RPC.getProxy(Everything.class, 3, loopback(server), conf));
    Everything c = closeLater(RPC.getProxy(Everything.class, 3, loopback(server), null, conf,
        SocketFactory.getDefault(), 5_000));

    assertThat(a.add(1, 1) + b.add(1, 1) + c.add(1, 1)).isEqualTo(6);
    assertThat(RPC.clientCache().size()).as("c's own timeout travels per call")
        .isEqualTo(before + 1);
  }
}

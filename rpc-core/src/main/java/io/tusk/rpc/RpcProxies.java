package io.tusk.rpc;

import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ClientOptions;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.intercept.Interceptors;
import io.tusk.rpc.security.UserIdentity;
import io.tusk.rpc.spi.ProxyOptions;
import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.SocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client half of the {@link RPC} facade, behind its static {@code getProxy},
 * {@code waitForProxy}, {@code stopProxy} and {@code call}: chooses the engine from an
 * {@link EngineRegistry}, shares {@link Client}s through a {@link ClientCache} (one per socket
 * factory) and tracks which client each proxy holds ({@link ProxyLeases}).
 *
 * <p>The facade's statics use {@link #DEFAULT}, over {@link EngineRegistry#defaultRegistry()};
 * tests may build their own. Thread-safe.
 */
final class RpcProxies {
  private static final Logger LOG = LoggerFactory.getLogger(RPC.class);

  /** Behind the facade's statics. */
  static final RpcProxies DEFAULT = new RpcProxies(EngineRegistry::defaultRegistry,
      new ClientCache("tusk-rpc-client"));

  private final java.util.function.Supplier<EngineRegistry> engines;
  private final ClientCache clients;
  private final ProxyLeases leases;

  /**
   * @param engines where engines are chosen; a supplier so that the default registry is loaded
   *     when first needed, not when the facade class loads
   */
  RpcProxies(java.util.function.Supplier<EngineRegistry> engines, ClientCache clients) {
    this.engines = engines;
    this.clients = clients;
    this.leases = new ProxyLeases(clients);
  }

  ClientCache clients() {
    return clients;
  }

  /**
   * See {@link RPC#getProtocolProxy(Class, long, InetSocketAddress, String, Configuration,
   * SocketFactory, int)}.
   *
   * @param user who the proxy calls as; null = {@link UserIdentity#getCurrentUser()} now
   */
  <T> ProtocolProxy<T> getProtocolProxy(Class<T> protocol, long clientVersion,
      InetSocketAddress addr, UserIdentity user, Configuration conf, SocketFactory factory,
      int rpcTimeout) throws IOException {
    RpcEngine engine = engines.get().forProtocol(protocol, conf);
    ConnectionId remote = ConnectionId.of(resolve(addr), RPC.getProtocolName(protocol),
        user != null ? user : UserIdentity.getCurrentUser());
    Client client = clients.acquire(clientOptions(conf, rpcTimeout), factory,
        Interceptors.classNames(conf, IpcKeys.CLIENT_INTERCEPTORS));
    ProxyLeases.Lease lease = leases.lease(client, remote);
    try {
      T proxy = engine.newProxy(protocol, remote, client, new ProxyOptions(clientVersion,
          timeout(rpcTimeout), lease::release, conf));
      leases.bind(proxy, lease);
      return new ProtocolProxy<>(protocol, proxy,
          VersionedProtocol.class.isAssignableFrom(protocol));
    } catch (IOException | RuntimeException e) {
      lease.release();
      throw e;
    }
  }

  /** See {@link RPC#waitForProtocolProxy(Class, long, InetSocketAddress, Configuration,
   * SocketFactory, int, long)}. */
  <T> ProtocolProxy<T> waitForProtocolProxy(Class<T> protocol, long clientVersion,
      InetSocketAddress addr, Configuration conf, SocketFactory factory, int rpcTimeout,
      long timeoutMs) throws IOException {
    ServerWaiter.await(resolve(addr), factory, clientOptions(conf, rpcTimeout), timeoutMs);
    return getProtocolProxy(protocol, clientVersion, addr, null, conf, factory, rpcTimeout);
  }

  /** See {@link RPC#stopProxy}. */
  void stopProxy(Object proxy) {
    if (proxy == null) {
      throw new IllegalArgumentException("Cannot close proxy since it is null");
    }
    boolean stopped = leases.stop(proxy);
    Closeable closeable = proxy instanceof Closeable c ? c : null;
    if (closeable == null && Proxy.isProxyClass(proxy.getClass())) {
      InvocationHandler handler = Proxy.getInvocationHandler(proxy);
      closeable = handler instanceof Closeable c ? c : null;
    }
    if (closeable != null) {
      try {
        closeable.close();
      } catch (IOException e) {
        LOG.warn("closing proxy {} failed", proxy.getClass().getName(), e);
      }
    } else if (!stopped) {
      throw new IllegalArgumentException("Cannot close proxy - is not Closeable or does not "
          + "provide closeable invocation handler " + proxy.getClass());
    }
  }

  /** See {@link RPC#getServerAddress}. */
  InetSocketAddress serverAddress(Object proxy) {
    RpcInvocationHandler handler = handlerOrNull(proxy);
    if (handler != null) {
      return handler.getConnectionId().address();
    }
    ProxyLeases.Lease lease = proxy == null ? null : leases.get(proxy);
    if (lease == null) {
      throw notAProxy(proxy);
    }
    return lease.remote.address();
  }

  /**
   * The {@link RpcInvocationHandler} behind {@code proxy} (unwrapping a
   * {@link ProtocolTranslator} first), for {@link RPC#getConnectionIdForProxy} and
   * {@link RPC#getClient}.
   *
   * @throws IllegalArgumentException when there is none
   */
  static RpcInvocationHandler handler(Object proxy) {
    RpcInvocationHandler handler = handlerOrNull(proxy);
    if (handler == null) {
      throw notAProxy(proxy);
    }
    return handler;
  }

  private static RpcInvocationHandler handlerOrNull(Object proxy) {
    Object target = proxy instanceof ProtocolTranslator t ? t.getUnderlyingProxyObject() : proxy;
    if (target != null && Proxy.isProxyClass(target.getClass())
        && Proxy.getInvocationHandler(target) instanceof RpcInvocationHandler handler) {
      return handler;
    }
    return null;
  }

  private static IllegalArgumentException notAProxy(Object proxy) {
    return new IllegalArgumentException(proxy == null ? "proxy is null"
        : "not an RPC proxy: " + proxy.getClass().getName() + " (expected a proxy made by an RPC"
            + " engine, or a ProtocolTranslator over one)");
  }

  /** See {@link RPC#call}. */
  Object[] call(Method method, Object[][] params, InetSocketAddress[] addrs, Configuration conf)
      throws IOException {
    RpcEngine engine = engines.get().forProtocol(method.getDeclaringClass(), conf);
    ClientOptions options = ClientOptions.fromConfiguration(conf);
    Client client = clients.acquire(options, SocketFactory.getDefault(),
        Interceptors.classNames(conf, IpcKeys.CLIENT_INTERCEPTORS));
    try {
      return ParallelCall.call(engine, client, method, params, addrs,
          UserIdentity.getCurrentUser(),
          options.rpcTimeout());
    } finally {
      clients.release(client);
    }
  }

  static InetSocketAddress resolve(InetSocketAddress addr) throws UnknownHostException {
    if (!addr.isUnresolved()) {
      return addr;
    }
    InetSocketAddress resolved = new InetSocketAddress(addr.getHostString(), addr.getPort());
    if (resolved.isUnresolved()) {
      throw new UnknownHostException("cannot resolve " + addr.getHostString() + " (server "
          + addr + ")");
    }
    return resolved;
  }

  /** A user named in the facade's {@code String user} parameters; null stays null (= current). */
  static UserIdentity user(String name) {
    return name == null ? null : UserIdentity.createRemoteUser(name);
  }

  static int rpcTimeout(Configuration conf) {
    return conf.getInt(IpcKeys.CLIENT_RPC_TIMEOUT_MS, IpcKeys.CLIENT_RPC_TIMEOUT_MS_DEFAULT);
  }

  private static Duration timeout(int rpcTimeoutMs) {
    return Duration.ofMillis(Math.max(0, rpcTimeoutMs));
  }

  private static ClientOptions clientOptions(Configuration conf, int rpcTimeoutMs) {
    return ClientOptions.fromConfiguration(conf).withRpcTimeout(timeout(rpcTimeoutMs));
  }
}

package io.tusk.rpc;

import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Which client reference each facade proxy holds, so that {@link RPC#stopProxy} — or the proxy's
 * own {@code close()}, through the engine's {@link io.tusk.rpc.spi.ProxyOptions#onClose()} — gives
 * it back exactly once, without the engine knowing about the cache. Keys are held weakly: a proxy
 * dropped without being stopped does not stay reachable through this map (its client reference is
 * then kept, as in Hadoop). A {@link Proxy} is keyed by its invocation handler, whose identity is
 * stable; other proxies by themselves.
 */
final class ProxyLeases {
  /** One proxy's hold on a client; {@link #release()} gives it back once. */
  static final class Lease {
    final Client client;
    final ConnectionId remote;
    private final ClientCache clients;
    private boolean released;

    private Lease(ClientCache clients, Client client, ConnectionId remote) {
      this.clients = clients;
      this.client = client;
      this.remote = remote;
    }

    /** Gives the client reference back; later calls are no-ops. Any thread. */
    void release() {
      synchronized (this) {
        if (released) {
          return;
        }
        released = true;
      }
      clients.release(client);
    }
  }

  private final Map<Object, Lease> leases = Collections.synchronizedMap(new WeakHashMap<>());
  private final ClientCache clients;

  ProxyLeases(ClientCache clients) {
    this.clients = clients;
  }

  /** A lease on {@code client} (acquired from this cache by the caller), not yet bound. */
  Lease lease(Client client, ConnectionId remote) {
    return new Lease(clients, client, remote);
  }

  void bind(Object proxy, Lease lease) {
    leases.put(key(proxy), lease);
  }

  Lease get(Object proxy) {
    return leases.get(key(proxy));
  }

  /**
   * Releases the proxy's client reference once; later calls are no-ops.
   *
   * @return false when the proxy was not made by the facade
   */
  boolean stop(Object proxy) {
    Lease lease = get(proxy);
    if (lease == null) {
      return false;
    }
    lease.release();
    return true;
  }

  private static Object key(Object proxy) {
    // Handlers do not override equals/hashCode, so the weak map compares them by identity; a
    // Proxy itself would forward hashCode to its handler (and, for some engines, to the server).
    return Proxy.isProxyClass(proxy.getClass()) ? Proxy.getInvocationHandler(proxy) : proxy;
  }
}

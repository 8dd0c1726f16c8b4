package io.tusk.rpc;

import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Which client reference each facade proxy holds, so {@link RPC#stopProxy} can give it back
 * without the engine knowing about the cache. Keys are held weakly: a proxy dropped without being
 * stopped does not stay reachable through this map (its client reference is then kept, as in
 * Hadoop). A {@link Proxy} is keyed by its invocation handler, whose identity is stable; other
 * proxies by themselves.
 */
final class ProxyLeases {
  /** One proxy's hold on a client. */
  static final class Lease {
    final Client client;
    final ConnectionId remote;
    private boolean stopped;

    Lease(Client client, ConnectionId remote) {
      this.client = client;
      this.remote = remote;
    }
  }

  private final Map<Object, Lease> leases = Collections.synchronizedMap(new WeakHashMap<>());
  private final ClientCache clients;

  ProxyLeases(ClientCache clients) {
    this.clients = clients;
  }

  void bind(Object proxy, Client client, ConnectionId remote) {
    leases.put(key(proxy), new Lease(client, remote));
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
    synchronized (lease) {
      if (lease.stopped) {
        return true;
      }
      lease.stopped = true;
    }
    clients.release(lease.client);
    return true;
  }

  private static Object key(Object proxy) {
    // Handlers do not override equals/hashCode, so the weak map compares them by identity; a
    // Proxy itself would forward hashCode to its handler (and, for some engines, to the server).
    return Proxy.isProxyClass(proxy.getClass()) ? Proxy.getInvocationHandler(proxy) : proxy;
  }
}

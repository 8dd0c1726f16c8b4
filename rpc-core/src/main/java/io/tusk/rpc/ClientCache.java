package io.tusk.rpc;

import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ClientOptions;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.intercept.ClientInterceptor;
import io.tusk.rpc.intercept.Interceptors;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.SocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares {@link Client}s between proxies, as Hadoop's {@code ClientCache}: one client per socket
 * factory (and connection settings), reference counted. Each proxy made by the {@link RPC} facade
 * holds one reference; {@link RPC#stopProxy} or the proxy's own {@code close()} of the last one
 * closes the client, which joins its threads.
 *
 * <p>The RPC timeout is not part of the key: proxies asking for different timeouts share one
 * client, and each passes its own timeout with every call. The cached client's own
 * {@link ClientOptions#rpcTimeout()} is therefore zero (no deadline) for calls made on it
 * directly. The other settings ({@code ipc.client.*}: connect timeout and retries, pings, idle
 * time, ...) shape the connections, so proxies asking for different ones get different clients
 * rather than silently sharing one built with other settings, as Hadoop's would. The facade uses
 * one shared instance; tests may create their own. Thread-safe.
 */
public final class ClientCache {
  private static final Logger LOG = LoggerFactory.getLogger(ClientCache.class);

  private record Key(SocketFactory factory, ClientOptions options, List<String> interceptors) {}

  private static final class Entry {
    final Key key;
    final Client client;
    int references;

    Entry(Key key, Client client) {
      this.key = key;
      this.client = client;
    }
  }

  private final String clientName;
  private final Map<Key, Entry> byKey = new HashMap<>();
  private final Map<Client, Entry> byClient = new IdentityHashMap<>();

  /** A cache whose clients name their threads after {@code clientName}. */
  public ClientCache(String clientName) {
    this.clientName = Objects.requireNonNull(clientName, "clientName");
  }

  /**
   * The client for ({@code factory}, {@code options} apart from the RPC timeout), created on first
   * use; adds one reference that the caller gives back with {@link #release}.
   */
  public Client acquire(ClientOptions options, SocketFactory factory) {
    return acquire(options, factory, List.of());
  }

  /**
   * As {@link #acquire(ClientOptions, SocketFactory)}, for a client with the interceptors named
   * by {@code interceptorClasses} (see {@link Interceptors}; outermost first): proxies naming
   * different lists get different clients.
   *
   * @throws IllegalArgumentException when a named interceptor cannot be created
   */
  public synchronized Client acquire(ClientOptions options, SocketFactory factory,
      List<String> interceptorClasses) {
    Key key = new Key(Objects.requireNonNull(factory, "factory"),
        Objects.requireNonNull(options, "options").withRpcTimeout(Duration.ZERO),
        List.copyOf(interceptorClasses));
    Entry entry = byKey.get(key);
    if (entry == null) {
      Client.Builder builder = Client.builder().options(key.options()).socketFactory(factory)
          .name(clientName);
      for (ClientInterceptor interceptor : Interceptors.instances(key.interceptors(),
          ClientInterceptor.class, IpcKeys.CLIENT_INTERCEPTORS)) {
        builder.interceptor(interceptor);
      }
      Client client = builder.build();
      entry = new Entry(key, client);
      byKey.put(key, entry);
      byClient.put(client, entry);
      LOG.debug("created {} for {}", client, options);
    }
    entry.references++;
    return entry.client;
  }

  /**
   * Gives back one reference to {@code client}; the last one closes it (outside this cache's
   * lock, so a slow close does not hold up other proxies). A client this cache does not hold is
   * ignored.
   */
  public void release(Client client) {
    Entry entry;
    synchronized (this) {
      entry = byClient.get(client);
      if (entry == null || --entry.references > 0) {
        return;
      }
      byClient.remove(client);
      byKey.remove(entry.key);
    }
    LOG.debug("closing {}: no proxy uses it any more", client);
    client.close();
  }

  /** References held on {@code client}; 0 when this cache does not hold it. */
  public synchronized int references(Client client) {
    Entry entry = byClient.get(client);
    return entry == null ? 0 : entry.references;
  }

  /** Clients currently held. */
  public synchronized int size() {
    return byKey.size();
  }
}

package io.tusk.rpc.client;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.Ticker;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.intercept.ClientInterceptor;
import io.tusk.rpc.internal.client.ClientRuntime;
import io.tusk.rpc.wire.RpcConstants;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.SocketFactory;

/**
 * A Hadoop-IPC-compatible RPC client: one TCP connection per {@link ConnectionId}, shared by every
 * caller, with one receiver thread per connection that completes calls by id.
 *
 * <p>Every call has one deadline, {@link ClientOptions#rpcTimeout()} unless the call names its
 * own: it covers connecting, sending and waiting for the response, for blocking and asynchronous
 * calls alike. A call past it fails with a {@link java.net.SocketTimeoutException} naming the
 * server and the timeout. With no deadline (zero) calls wait as long as the connection lives,
 * and pings keep it checked.
 *
 * <p>Failures are prompt and clear: a connection that breaks fails every call pending on it with
 * an exception naming the remote address. A connection that looks dead (a call reached its
 * deadline and nothing arrived from the server during it, or its request could not be written
 * because the server stopped reading) is closed, its other calls fail the same way, and the next
 * call opens a fresh one. {@link #close()} closes every connection and joins every thread.
 *
 * <p>Threads (all daemons, named after {@link Builder#name}): any number of threads may call at
 * once.
 * <ul>
 *   <li>Connecting (with the configured retries) and the connection header happen once per
 *       connection on an I/O thread ({@code <name>-io-N}); callers meanwhile wait on their own
 *       call, with their own deadline and interrupt, never on each other.
 *   <li>A blocking call on an open connection writes its request on the calling thread, together
 *       with requests other callers queued meanwhile (one flush); if another caller is writing,
 *       it queues its request for that one. {@code callAsync} never blocks on the socket: it
 *       queues its request and, if nobody is writing, an I/O thread writes it.
 *   <li>The requests queued for one connection are bounded in bytes
 *       ({@link ClientOptions#sendQueueMaxBytes()}): a call that would go past the bound fails at
 *       once with an {@link IOException} saying so (it does not wait).
 *   <li>Futures are completed by the connection's receiver thread ({@code
 *       <name>-receiver@host:port}), by the timer thread ({@code <name>-timer}, deadlines) or by
 *       whichever thread closes the connection, so stages attached with the non-async {@code
 *       then...} methods may run there and must be short. Completing or cancelling a returned
 *       future yourself (including {@code orTimeout}) abandons the call: a late response is
 *       dropped.
 *   <li>A connection idle for {@link ClientOptions#maxIdleTime()} closes itself; the next call
 *       opens a new one.
 * </ul>
 */
public final class Client implements AutoCloseable {
  private final ClientRuntime runtime;
  private final ConcurrentHashMap<Class<?>, Object> attributes = new ConcurrentHashMap<>();

  /** A new builder with Hadoop's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  private Client(Builder builder) {
    this.runtime = new ClientRuntime(builder.name(), builder.options(), builder.socketFactory(),
        builder.interceptors(), builder.ticker);
  }

  /**
   * Sends one request and returns a future for the response payload (the bytes after the response
   * header), with retry count 0 in its header, as Hadoop's client sends a first attempt, and the
   * configured RPC timeout as its deadline. Returns at once: it neither connects nor writes to the
   * socket on the calling thread.
   *
   * <p>The future fails with {@link io.tusk.rpc.RemoteException} when the server answered with an
   * error, with a {@link java.net.ConnectException} when no connection could be made, with a
   * {@link java.net.SocketTimeoutException} when the deadline passed, and with an
   * {@link IOException} naming the remote address when the connection broke or the send queue
   * was full.
   */
  public CompletableFuture<ByteBuffer> callAsync(RpcKind kind, RpcPayload request,
      ConnectionId remote) {
    return callAsync(kind, request, remote, RpcConstants.FIRST_ATTEMPT_RETRY_COUNT,
        runtime.options().rpcTimeout());
  }

  /**
   * Like {@link #callAsync(RpcKind, RpcPayload, ConnectionId)} with an explicit deadline
   * ({@link Duration#ZERO} = none).
   */
  public CompletableFuture<ByteBuffer> callAsync(RpcKind kind, RpcPayload request,
      ConnectionId remote, Duration timeout) {
    return callAsync(kind, request, remote, RpcConstants.FIRST_ATTEMPT_RETRY_COUNT, timeout);
  }

  /** Like {@link #callAsync(RpcKind, RpcPayload, ConnectionId)} with the header's retry count. */
  public CompletableFuture<ByteBuffer> callAsync(RpcKind kind, RpcPayload request,
      ConnectionId remote, int retryCount) {
    return callAsync(kind, request, remote, retryCount, runtime.options().rpcTimeout());
  }

  /**
   * Like {@link #callAsync(RpcKind, RpcPayload, ConnectionId)} with the header's retry count and
   * an explicit deadline ({@link Duration#ZERO} = none).
   */
  public CompletableFuture<ByteBuffer> callAsync(RpcKind kind, RpcPayload request,
      ConnectionId remote, int retryCount, Duration timeout) {
    return runtime.callAsync(kind, request, remote, retryCount, timeout);
  }

  /**
   * Sends one request and waits for its response payload, all within the configured RPC timeout
   * (forever, with pings, when it is zero).
   *
   * @throws java.net.SocketTimeoutException when the timeout passes; the call is abandoned
   * @throws java.io.InterruptedIOException when the thread is interrupted; the call is abandoned
   */
  public ByteBuffer call(RpcKind kind, RpcPayload request, ConnectionId remote) throws IOException {
    return runtime.call(kind, request, remote, RpcConstants.FIRST_ATTEMPT_RETRY_COUNT,
        runtime.options().rpcTimeout());
  }

  /**
   * Like {@link #call(RpcKind, RpcPayload, ConnectionId)} with an explicit timeout ({@link
   * Duration#ZERO} = no limit).
   */
  public ByteBuffer call(RpcKind kind, RpcPayload request, ConnectionId remote, Duration timeout)
      throws IOException {
    return runtime.call(kind, request, remote, RpcConstants.FIRST_ATTEMPT_RETRY_COUNT, timeout);
  }

  /** This client's 16-byte id (a random UUID), sent in every request header. */
  public byte[] clientId() {
    return runtime.clientId();
  }

  /** The settings this client was built with. */
  public ClientOptions options() {
    return runtime.options();
  }

  /** The name given to the builder; it prefixes this client's thread names. */
  public String name() {
    return runtime.name();
  }

  /** Connections currently open. */
  public int connectionCount() {
    return runtime.connectionCount();
  }

  /** Calls made and not yet completed (connecting, queued, sent), on all connections. */
  public int pendingCallCount() {
    return runtime.pendingCallCount();
  }

  /**
   * The value of type {@code key} that this client keeps for a library working on top of it (for
   * example RpcClientUtil's cache of server signatures), made by {@code create} on first use, so
   * that per-client state lives and dies with the client instead of in a JVM-wide map keyed by
   * clients. The key is a class the library owns, so libraries cannot collide. Any thread;
   * {@code create} runs at most once per key (until {@link #close()}, which drops every value) and
   * must be short and must not call this method.
   */
  public <T> T attribute(Class<T> key, Supplier<? extends T> create) {
    return key.cast(attributes.computeIfAbsent(key, k -> create.get()));
  }

  /**
   * Fails every pending call, closes every connection (ending connects and writes in progress)
   * and joins every thread of this client, and drops its {@link #attribute attributes}.
   * Idempotent.
   */
  @Override
  public void close() {
    runtime.close();
    attributes.clear();
  }

  /** Configures a {@link Client}. */
  public static final class Builder {
    private ClientOptions options = ClientOptions.defaults();
    private SocketFactory socketFactory = SocketFactory.getDefault();
    private String name = "tusk-client";
    private final List<ClientInterceptor> interceptors = new ArrayList<>();
    private List<ClientInterceptor> configured = List.of();
    private Ticker ticker = Ticker.SYSTEM;

    private Builder() {}

    /**
     * Adds an interceptor around every {@code call} and {@code callAsync}; the first added runs
     * outermost (see {@link ClientInterceptor}), inside those named in the configuration.
     * Without any, calls allocate nothing for a chain.
     */
    public Builder interceptor(ClientInterceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /**
     * Reads every setting from {@code ipc.client.*} keys, replacing earlier settings, and the
     * interceptors named in {@code tusk.client.interceptors} (new instances, run outside those
     * added with {@link #interceptor}; see {@link io.tusk.rpc.intercept.Interceptors}).
     *
     * @throws IllegalArgumentException when a named interceptor cannot be created
     */
    public Builder configuration(Configuration conf) {
      this.options = ClientOptions.fromConfiguration(conf);
      this.configured = io.tusk.rpc.intercept.Interceptors.client(conf);
      return this;
    }

    public Builder options(ClientOptions options) {
      this.options = options;
      return this;
    }

    /** Creates the sockets; lets tests and tunnels plug in. */
    public Builder socketFactory(SocketFactory socketFactory) {
      this.socketFactory = socketFactory;
      return this;
    }

    /** A short name used in thread names, e.g. {@code tusk-client-receiver@127.0.0.1:9000}. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /**
     * The clock every timer of the client reads (call deadlines, pings, idle close, stuck writes,
     * dead-connection detection); {@link Ticker#SYSTEM} by default. Tests pass a fake one to drive
     * timeouts without sleeping.
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = java.util.Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    ClientOptions options() {
      return options;
    }

    /** Configured interceptors first (outermost), then those added. */
    List<ClientInterceptor> interceptors() {
      List<ClientInterceptor> all = new ArrayList<>(configured);
      all.addAll(interceptors);
      return all;
    }

    SocketFactory socketFactory() {
      return socketFactory;
    }

    String name() {
      return name;
    }

    public Client build() {
      return new Client(this);
    }
  }
}

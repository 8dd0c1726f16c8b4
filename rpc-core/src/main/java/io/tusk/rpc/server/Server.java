package io.tusk.rpc.server;

import io.tusk.rpc.Ticker;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.intercept.ServerInterceptor;
import io.tusk.rpc.internal.server.CurrentCall;
import io.tusk.rpc.internal.server.ServerRuntime;
import io.tusk.rpc.spi.ServerEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Hadoop-IPC-compatible RPC server: one acceptor, N readers with their own selectors, a bounded
 * call queue, M handlers and a responder for writes that do not finish at once.
 *
 * <p>Lifecycle: {@link #builder()} configures, {@link Builder#build()} freezes, {@link #start()}
 * binds and starts the threads, {@link #close()} (= {@link #shutdown()} + {@link
 * #awaitTermination}) stops everything and joins every thread it started. Engines register per
 * {@link io.tusk.rpc.RpcKind}; their protocol implementations live in {@link #protocols()}.
 */
public final class Server implements AutoCloseable {
  // The runtime (acceptor, readers, handlers, responder) lives in io.tusk.rpc.internal.server;
  // this class is its public face.
  private final ServerRuntime runtime;
  private volatile InetSocketAddress listenerAddress;

  /** A new builder with Hadoop's defaults, bound to 127.0.0.1 on an ephemeral port. */
  public static Builder builder() {
    return new Builder();
  }

  private Server(Builder builder) {
    runtime = new ServerRuntime(this, builder.options(), builder.name(), builder.interceptors(),
        builder.ticker);
    for (ServerEngine<?> engine : builder.engines()) {
      runtime.registerEngine(engine);
    }
    runtime.refreshProxyUsers(builder.conf);
  }

  /**
   * Replaces the impersonation rules ({@code hadoop.proxyuser.<real>.users|groups|hosts}) with
   * those of {@code conf}, as Hadoop's {@code ProxyUsers.refreshSuperUserGroupsConfiguration}
   * does. Connections whose context arrives afterwards are judged by the new rules; connections
   * already set up are left alone. Thread-safe; the rule set is swapped whole.
   */
  public void refreshSuperUserGroupsConfiguration(Configuration conf) {
    runtime.refreshProxyUsers(conf);
  }

  /** Binds the listening socket and starts every thread. May be called once. */
  public Server start() throws IOException {
    listenerAddress = runtime.start();
    return this;
  }

  /** The address actually bound (with the real port when 0 was asked for). */
  public InetSocketAddress getListenerAddress() {
    InetSocketAddress address = listenerAddress;
    if (address == null) {
      throw new IllegalStateException("server not started");
    }
    return address;
  }

  /** The settings this server was built with. */
  public ServerOptions options() {
    return runtime.options();
  }

  /**
   * Registers an engine. An engine with the same {@link ServerEngine#id() id} again is a no-op (the
   * one registered first stays).
   *
   * @throws IllegalStateException when an engine with another id already holds the kind
   */
  public void registerEngine(ServerEngine<?> engine) {
    runtime.registerEngine(engine);
  }

  /**
   * Hosts {@code implementation} for {@code protocol} with {@code engine}: registers the engine
   * (see {@link #registerEngine}) and lets it {@link ServerEngine#host host} the implementation,
   * which checks that it fits. May be called before or after {@link #start()}.
   *
   * @throws IllegalArgumentException when the implementation does not fit the protocol or the
   *     protocol has no version
   * @throws IllegalStateException when another engine holds the kind
   */
  public Server addProtocol(ServerEngine<?> engine, Class<?> protocol, Object implementation) {
    runtime.registerEngine(engine);
    engine.host(runtime.protocols(), protocol, implementation);
    return this;
  }

  /** The protocols this server hosts, per engine kind. */
  public ProtocolRegistry protocols() {
    return runtime.protocols();
  }

  /** Per-call statistics: calls, errors, queue and processing time per method. */
  public RpcMetrics metrics() {
    return runtime.metrics();
  }

  /** Connections currently open. */
  public int getNumOpenConnections() {
    return runtime.openConnections();
  }

  /** Calls waiting in the call queue. */
  public int getCallQueueLength() {
    return runtime.callQueueLength();
  }

  /** Bytes currently held by received request frames (charged to the request buffer budget). */
  public long getBufferedRequestBytes() {
    return runtime.bufferedRequestBytes();
  }

  /** Response bytes queued for clients that have not taken them yet (the response budget). */
  public long getQueuedResponseBytes() {
    return runtime.queuedResponseBytes();
  }

  /** Handler threads alive now; equals the configured count unless one has died. */
  public int getLiveHandlerCount() {
    return runtime.liveHandlers();
  }

  /**
   * True when one of the server's own threads (listener, a reader, a handler, the responder)
   * ended while the server was running. The server keeps serving with what is left (new
   * connections go to the readers still alive) but needs a restart; {@link #failures()} says
   * which thread and why, and the log has it at ERROR.
   */
  public boolean isFailed() {
    return runtime.isFailed();
  }

  /** What made the server {@link #isFailed() failed}, one line per thread that ended; empty if not. */
  public List<String> failures() {
    return runtime.failures();
  }

  /** Stops accepting and reading; queued calls finish within the shutdown grace. Idempotent. */
  public void shutdown() {
    runtime.shutdown();
  }

  /** Stops at once: in-flight calls fail and connections close. Idempotent. */
  public void shutdownNow() {
    runtime.shutdownNow();
  }

  /** Waits until every thread of this server has ended. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return runtime.awaitTermination(timeout);
  }

  /** True when every thread has ended. */
  public boolean isTerminated() {
    return runtime.isTerminated();
  }

  /** {@link #shutdown()} then wait for termination (bounded); idempotent. */
  @Override
  public void close() {
    runtime.close();
  }

  // ---- call context, for code running inside a call ----

  /** The call the current thread is running, or {@code null} outside a call. */
  public static CallContext getCurrentCall() {
    return CurrentCall.get();
  }

  /**
   * The effective user's name of the current call, or {@code null} outside a call. Hadoop's
   * {@code Server.getRemoteUser()} returns a {@code UserGroupInformation}; this one keeps the
   * name it always returned, and {@link #getRemoteUserIdentity()} gives the identity.
   */
  public static String getRemoteUser() {
    CallContext call = getCurrentCall();
    return call == null ? null : call.user();
  }

  /**
   * The caller of the current call as an identity ({@link CallContext#userIdentity()}: a proxy
   * user via its real user when the connection impersonates), or {@code null} outside a call or
   * when the connection named no user. Hadoop's {@code Server.getRemoteUser()}.
   */
  public static io.tusk.rpc.security.UserIdentity getRemoteUserIdentity() {
    CallContext call = getCurrentCall();
    return call == null ? null : call.userIdentity();
  }

  /** The remote address of the current call, or {@code null} outside a call. */
  public static InetSocketAddress getRemoteAddress() {
    CallContext call = getCurrentCall();
    return call == null ? null : call.remoteAddress();
  }

  /** The remote IP of the current call, or {@code null} outside a call. */
  public static InetAddress getRemoteIp() {
    InetSocketAddress address = getRemoteAddress();
    return address == null ? null : address.getAddress();
  }

  /**
   * Configures a {@link Server}. Setters return this; {@link #build()} validates. Settings start
   * from {@link #configuration} (Hadoop's defaults when none is given); each setter is recorded
   * and applied on top of it, in order, so an explicit setter always wins over the configuration.
   */
  public static final class Builder {
    private Configuration conf = new Configuration();
    private final List<Consumer<ServerOptions.Builder>> settings = new ArrayList<>();
    private String name = "tusk";
    private final List<ServerEngine<?>> engines = new ArrayList<>();
    private final List<ServerInterceptor> interceptors = new ArrayList<>();
    private Ticker ticker = Ticker.SYSTEM;

    private Builder() {}

    /** Base settings ({@code ipc.*} keys); explicit setters win over it. */
    public Builder configuration(Configuration conf) {
      this.conf = new Configuration(conf);
      return this;
    }

    private Builder set(Consumer<ServerOptions.Builder> setting) {
      settings.add(setting);
      return this;
    }

    public Builder bindAddress(String bindAddress) {
      return set(o -> o.bindAddress(bindAddress));
    }

    public Builder port(int port) {
      return set(o -> o.port(port));
    }

    public Builder handlerCount(int handlerCount) {
      return set(o -> o.handlerCount(handlerCount));
    }

    public Builder readerCount(int readerCount) {
      return set(o -> o.readerCount(readerCount));
    }

    public Builder queueSizePerHandler(int queueSizePerHandler) {
      return set(o -> o.queueSizePerHandler(queueSizePerHandler));
    }

    public Builder maxFrameLength(int maxFrameLength) {
      return set(o -> o.maxFrameLength(maxFrameLength));
    }

    public Builder maxConnections(int maxConnections) {
      return set(o -> o.maxConnections(maxConnections));
    }

    public Builder idleTimeout(Duration idleTimeout) {
      return set(o -> o.idleTimeout(idleTimeout));
    }

    public Builder setupTimeout(Duration setupTimeout) {
      return set(o -> o.setupTimeout(setupTimeout));
    }

    /** Server-wide cap on bytes held by received request frames. */
    public Builder requestBufferBytes(long requestBufferBytes) {
      return set(o -> o.requestBufferBytes(requestBufferBytes));
    }

    public Builder tcpNoDelay(boolean tcpNoDelay) {
      return set(o -> o.tcpNoDelay(tcpNoDelay));
    }

    public Builder shutdownGrace(Duration shutdownGrace) {
      return set(o -> o.shutdownGrace(shutdownGrace));
    }

    /** Logs calls much slower than the average ({@code ipc.server.log.slow.rpc}). */
    public Builder logSlowCalls(boolean logSlowCalls) {
      return set(o -> o.logSlowCalls(logSlowCalls));
    }

    /** A slow call must also take longer than this. */
    public Builder slowCallThreshold(Duration slowCallThreshold) {
      return set(o -> o.slowCallThreshold(slowCallThreshold));
    }

    /** Calls seen before the slow-call statistics are trusted (default 1024, as Hadoop). */
    public Builder slowCallMinSamples(long slowCallMinSamples) {
      return set(o -> o.slowCallMinSamples(slowCallMinSamples));
    }

    /** Server-wide cap on response bytes queued for clients that read slowly. */
    public Builder responseBufferBytes(long responseBufferBytes) {
      return set(o -> o.responseBufferBytes(responseBufferBytes));
    }

    /**
     * Per-connection water marks of queued response bytes: above {@code high} the connection
     * stops reading requests, at or below {@code low} it reads again.
     */
    public Builder writeWaterMarks(long low, long high) {
      return set(o -> o.writeLowWaterMark(low).writeHighWaterMark(high));
    }

    /** A connection whose queued responses make no progress for this long is closed. */
    public Builder writeStallTimeout(Duration writeStallTimeout) {
      return set(o -> o.writeStallTimeout(writeStallTimeout));
    }

    /**
     * Whether an ERROR answer to a call whose handler threw carries the stack trace in
     * {@code errorMsg}, as Hadoop's server sends it ({@code tusk.server.error.stack-traces};
     * default off, since a trace shows every caller the server's internals).
     */
    public Builder errorStackTraces(boolean errorStackTraces) {
      return set(o -> o.errorStackTraces(errorStackTraces));
    }

    /** Any other setting, or several at once, on the options builder. */
    public Builder options(Consumer<ServerOptions.Builder> setting) {
      return set(java.util.Objects.requireNonNull(setting, "setting"));
    }

    /** A short name used in thread names and logs, e.g. {@code tusk-reader-0@9000}. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /**
     * Adds an interceptor around every call; the first added runs outermost (see
     * {@link ServerInterceptor}), inside those the configuration names in
     * {@code tusk.server.interceptors} (see {@link io.tusk.rpc.intercept.Interceptors}).
     */
    public Builder interceptor(ServerInterceptor interceptor) {
      interceptors.add(java.util.Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /**
     * The clock every timer of the server reads (idle close, setup deadline, write stall, the
     * request budget, per-call timings); {@link Ticker#SYSTEM} by default. Tests pass a fake one
     * to drive timeouts without sleeping.
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = java.util.Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** Registers an engine at build time (see {@link Server#registerEngine}). */
    public Builder engine(ServerEngine<?> engine) {
      engines.add(java.util.Objects.requireNonNull(engine, "engine"));
      return this;
    }

    /** The options this builder would produce. */
    public ServerOptions options() {
      ServerOptions.Builder options = ServerOptions.fromConfiguration(conf).toBuilder();
      for (Consumer<ServerOptions.Builder> setting : settings) {
        setting.accept(options);
      }
      return options.build();
    }

    String name() {
      return name;
    }

    /**
     * New instances of the interceptors the configuration names (outermost), then those added.
     *
     * @throws IllegalArgumentException when a named interceptor cannot be created
     */
    List<ServerInterceptor> interceptors() {
      List<ServerInterceptor> all = new ArrayList<>(io.tusk.rpc.intercept.Interceptors.server(conf));
      all.addAll(interceptors);
      return all;
    }

    List<ServerEngine<?>> engines() {
      return List.copyOf(engines);
    }

    /** Validates the settings and creates the (not yet started) server. */
    public Server build() {
      options();
      return new Server(this);
    }
  }
}

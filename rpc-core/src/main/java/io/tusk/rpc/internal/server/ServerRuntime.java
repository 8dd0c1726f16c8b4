package io.tusk.rpc.internal.server;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.Ticker;
import io.tusk.rpc.intercept.ServerInterceptor;
import io.tusk.rpc.server.ProtocolRegistry;
import io.tusk.rpc.server.RpcMetrics;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.server.ServerOptions;
import io.tusk.rpc.wire.ByteBudget;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running parts of one {@link Server}: listener, readers, call queue, handlers, responder, the
 * open connections, the engine table and the request budget, and their lifecycle.
 *
 * <p>Public only because {@code Server} (another package) is its facade; not an API.
 *
 * <p>Shutdown: {@link #shutdown()} closes the server socket and tells readers to stop; handlers
 * drain the queue; the responder then flushes pending responses and closes every connection
 * ({@link #shutdownStep()}), bounded by the shutdown grace. {@link #shutdownNow()} skips the grace.
 * The stages, threads and deadlines are a {@link Lifecycle}; the parts made by {@link #start()}
 * (address, listener, readers, responder, JMX bean) are guarded by {@code parts}.
 */
public final class ServerRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(ServerRuntime.class);

  private final Server server;
  private final ServerOptions options;
  private final Ticker ticker;
  private final String name;
  private final ProtocolRegistry protocols = new ProtocolRegistry();
  private final EngineTable engines = new EngineTable(protocols);
  private final ByteBudget budget;
  private final BudgetGate gate;
  private final ByteBudget responseBudget;
  private final ArrayBlockingQueue<Call> callQueue;
  private final int callQueueCapacity;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final RpcMetrics metrics;
  private final ServerInterceptor[] interceptors;
  private final AcceptPolicy acceptPolicy;
  private final IdleCloser idleCloser;
  private ServerJmx jmx;
  private final List<String> failures = new CopyOnWriteArrayList<>();

  private final Lifecycle lifecycle;
  private final Object parts = new Object();

  private InetSocketAddress address;
  private Listener listener;
  /** Package-private for the reader-death test. */
  Reader[] readers;
  private int nextReader;
  private Responder responder;
  private CountDownLatch readersRunning = new CountDownLatch(0);

  public ServerRuntime(Server server, ServerOptions options, String name) {
    this(server, options, name, List.of(), Ticker.SYSTEM);
  }

  /**
   * @param interceptors run around every call, the first outermost
   * @param ticker the clock of every timer: idle scan, setup deadline, write stall, the request
   *     budget's stall rule and per-call timings (the shutdown grace stays on real time, because
   *     {@link #close()} waits for it in real time)
   */
  public ServerRuntime(Server server, ServerOptions options, String name,
      List<ServerInterceptor> interceptors, Ticker ticker) {
    this.interceptors = interceptors.toArray(new ServerInterceptor[0]);
    this.server = server;
    this.options = options;
    this.ticker = java.util.Objects.requireNonNull(ticker, "ticker");
    this.name = name;
    this.lifecycle = new Lifecycle(name);
    this.budget = new ByteBudget(options.requestBufferBytes());
    this.gate = new BudgetGate(budget);
    this.responseBudget = new ByteBudget(options.responseBufferBytes());
    long capacity = (long) options.handlerCount() * options.queueSizePerHandler();
    this.callQueueCapacity = (int) Math.min(capacity, Integer.MAX_VALUE - 8);
    this.callQueue = new ArrayBlockingQueue<>(callQueueCapacity);
    this.acceptPolicy = new AcceptPolicy(options);
    this.idleCloser = new IdleCloser(options.idleScan(), ticker.nanoTime(), connections::size);
    this.metrics = new RpcMetrics(options.logSlowCalls(), options.slowCallThreshold().toNanos(),
        options.slowCallMinSamples());
  }

  /**
   * Impersonation rules and the group mapping they read, swapped whole by
   * {@link #refreshProxyUsers}; reader threads read it once per connection context.
   */
  private record Impersonation(io.tusk.rpc.security.ProxyUserRules rules,
      io.tusk.rpc.security.GroupMapping groups) {}

  private volatile Impersonation impersonation = new Impersonation(
      io.tusk.rpc.security.ProxyUserRules.none(), user -> List.of());

  /**
   * Replaces the impersonation rules with those of {@code conf} (Hadoop's
   * {@code hadoop.proxyuser.*} keys); connections set up afterwards are judged by them. The group
   * mapping is built from the first configuration given and kept, so its cache survives refreshes.
   */
  public synchronized void refreshProxyUsers(io.tusk.rpc.conf.Configuration conf) {
    Impersonation old = impersonation;
    io.tusk.rpc.security.GroupMapping groups = groupsBuilt ? old.groups()
        : io.tusk.rpc.security.GroupMapping.fromConfiguration(conf);
    groupsBuilt = true;
    impersonation = new Impersonation(io.tusk.rpc.security.ProxyUserRules.fromConfiguration(conf),
        groups);
  }

  private boolean groupsBuilt;

  /** The group mapping of this server (cached; the one the proxy-user rules read). */
  io.tusk.rpc.security.GroupMapping groupMapping() {
    return impersonation.groups();
  }

  /** Why {@code real} may not impersonate {@code effective} from {@code remote}, or null. */
  String impersonationRefusal(String effective, String real, java.net.InetAddress remote) {
    Impersonation now = impersonation;
    return now.rules().refusal(effective, real, remote, now.groups());
  }

  /** The interceptor chain, outermost first; empty when none was added. Never modified. */
  ServerInterceptor[] interceptors() {
    return interceptors;
  }

  /** See {@link Server#metrics()}. */
  public RpcMetrics metrics() {
    return metrics;
  }

  // ------------------------------------------------------------------ public face for Server

  public ServerOptions options() {
    return options;
  }

  /** The clock every timer of this server reads. */
  public Ticker ticker() {
    return ticker;
  }

  public ProtocolRegistry protocols() {
    return protocols;
  }

  /** See {@link Server#registerEngine}. */
  public void registerEngine(io.tusk.rpc.spi.ServerEngine<?> engine) {
    engines.register(engine);
  }

  /** The engine for {@code kind}, or {@code null}. */
  EngineSlot engine(RpcKind kind) {
    return engines.get(kind);
  }

  /** Binds and starts every thread; returns the bound address. */
  public InetSocketAddress start() throws IOException {
    synchronized (parts) {
      lifecycle.beginStart();
      ServerSocketChannel serverChannel = ServerSocketChannel.open();
      // Every selector is opened before the bind, the last step that may fail (port in use):
      // whatever fails, the catch below closes what was opened, and no thread has started.
      readers = new Reader[options.readerCount()];
      try {
        for (int i = 0; i < readers.length; i++) {
          readers[i] = new Reader(this);
        }
        responder = new Responder(this);
        serverChannel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        serverChannel.bind(new InetSocketAddress(options.bindAddress(), options.port()),
            options.listenBacklog());
        SocketAddress local = serverChannel.getLocalAddress();
        address = (InetSocketAddress) local;
        int port = address.getPort();
        listener = new Listener(this, serverChannel);
        lifecycle.add(newThread(responder, name + "-responder@" + port), false);
        for (int i = 0; i < options.handlerCount(); i++) {
          lifecycle.add(newThread(new Handler(this), name + "-handler-" + i + "@" + port), true);
        }
        readersRunning = new CountDownLatch(readers.length);
        for (int i = 0; i < readers.length; i++) {
          lifecycle.add(newThread(readers[i], name + "-reader-" + i + "@" + port), false);
        }
        lifecycle.add(newThread(listener, name + "-listener@" + port), false);
      } catch (IOException | RuntimeException e) {
        serverChannel.close();
        for (Reader reader : readers) {
          if (reader != null) {
            reader.closeUnstarted();
          }
        }
        if (responder != null) {
          responder.closeUnstarted();
        }
        address = null;
        listener = null;
        lifecycle.startFailed();
        throw e;
      }
      lifecycle.startThreads();
      jmx = ServerJmx.register(this, name, address.getPort());
      LOG.info("{} listening on {} with {} readers, {} handlers", name, address,
          options.readerCount(), options.handlerCount());
      return address;
    }
  }

  private static Thread newThread(Runnable task, String threadName) {
    Thread t = new Thread(task, threadName);
    t.setDaemon(true);
    return t;
  }

  public InetSocketAddress address() {
    synchronized (parts) {
      if (address == null) {
        throw new IllegalStateException("server " + name + " is not started");
      }
      return address;
    }
  }

  public int openConnections() {
    return connections.size();
  }

  public int callQueueLength() {
    return callQueue.size();
  }

  /** Connections whose reading is paused now (request budget spent or responses piling up). */
  public int pausedConnections() {
    Reader[] all;
    synchronized (parts) {
      all = readers;
    }
    int paused = 0;
    if (all != null) {
      for (Reader reader : all) {
        paused += reader == null ? 0 : reader.pausedCount();
      }
    }
    return paused;
  }

  public long bufferedRequestBytes() {
    return budget.used();
  }

  public long queuedResponseBytes() {
    return responseBudget.used();
  }

  /** Handler threads alive now. */
  public int liveHandlers() {
    return lifecycle.liveHandlers();
  }

  /** See {@link Server#isFailed()}. */
  public boolean isFailed() {
    return !failures.isEmpty();
  }

  /** See {@link Server#failures()}. */
  public List<String> failures() {
    return List.copyOf(failures);
  }

  /**
   * One of the server's threads is ending because of {@code cause}, outside shutdown: the server
   * is failed from now on. Its own thread calls this last, so the log names it.
   */
  void roleFailed(String thread, Throwable cause) {
    String line = thread + " ended: " + cause;
    failures.add(line);
    LOG.error("{} ended unexpectedly: server {} is FAILED (it keeps serving with the threads it"
        + " has left; restart it)", thread, name, cause);
  }

  /** Stops accepting and reading; queued and running calls get the shutdown grace. */
  public void shutdown() {
    synchronized (parts) {
      if (!lifecycle.beginShutdown(options.shutdownGrace())) {
        return;
      }
      LOG.info("{} on {} shutting down", name, address);
    }
    unregisterJmx();
    wakeAll();
  }

  private void unregisterJmx() {
    ServerJmx bean;
    synchronized (parts) {
      bean = jmx;
      jmx = null;
    }
    if (bean != null) {
      bean.unregister();
    }
  }

  /** Stops at once: handlers interrupted, queued calls dropped, connections closed. */
  public void shutdownNow() {
    synchronized (parts) {
      if (!lifecycle.beginShutdownNow()) {
        return;
      }
    }
    unregisterJmx();
    wakeAll();
    lifecycle.interruptHandlers();
    dropQueuedCalls();
    closeAllConnections();
  }

  private void wakeAll() {
    synchronized (parts) {
      if (listener == null) {
        return; // start() failed before the threads existed
      }
      listener.close();
      for (Reader reader : readers) {
        reader.wakeup();
      }
      responder.wakeup();
    }
  }

  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return lifecycle.awaitTermination(timeout);
  }

  public boolean isTerminated() {
    return lifecycle.isTerminated();
  }

  /** shutdown + bounded wait (+ shutdownNow if the grace was not enough); idempotent. */
  public void close() {
    shutdown();
    try {
      if (!awaitTermination(options.shutdownGrace().plusSeconds(5))) {
        LOG.warn("{}: threads still running after the shutdown grace; stopping them now", name);
        shutdownNow();
        if (!awaitTermination(Duration.ofSeconds(5))) {
          LOG.warn("{}: threads did not end: {}", name, lifecycle.aliveThreads());
        }
      }
    } catch (InterruptedException e) {
      shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------ for the runtime's threads

  Server server() {
    return server;
  }

  ByteBudget budget() {
    return budget;
  }

  ByteBudget responseBudget() {
    return responseBudget;
  }

  BudgetGate gate() {
    return gate;
  }

  /** Hadoop's idle-connection rule, shared by the readers (see {@link IdleCloser}). */
  IdleCloser idleCloser() {
    return idleCloser;
  }

  Responder responder() {
    return responder;
  }

  int callQueueCapacity() {
    return callQueueCapacity;
  }

  boolean isStopping() {
    return lifecycle.isStopping();
  }

  boolean isStoppingNow() {
    return lifecycle.isStoppingNow();
  }

  /** Listener thread: a socket was accepted. */
  void accepted(SocketChannel channel) {
    InetSocketAddress remote = null;
    try {
      remote = (InetSocketAddress) channel.getRemoteAddress();
      if (lifecycle.isStopping()) {
        channel.close();
        return;
      }
      String refusal = acceptPolicy.refusal(connections.size());
      if (refusal != null) {
        LOG.warn("rejecting connection from {}: {}", remote, refusal);
        channel.close();
        return;
      }
      acceptPolicy.configure(channel);
      Reader reader = nextLiveReader();
      if (reader == null) {
        LOG.error("rejecting connection from {}: no reader thread is alive (server {} is FAILED)",
            remote, name);
        channel.close();
        return;
      }
      Connection connection = new Connection(this, reader, channel, remote);
      connections.add(connection);
      if (lifecycle.isStopping()) {
        connection.close(); // shutdown raced with this accept: nobody would close it later
        return;
      }
      LOG.debug("accepted {} ({} open)", connection, connections.size());
      reader.add(connection);
      if (!reader.isAlive()) {
        connection.close(); // the reader died meanwhile: its orphan drain may have missed this one
      }
    } catch (IOException e) {
      LOG.debug("dropping connection from {}: {}", remote, e.toString());
      try {
        channel.close();
      } catch (IOException ignored) {
        // already failing
      }
    }
  }

  /** Round-robin over the readers still running; null when none is. Listener thread. */
  private Reader nextLiveReader() {
    for (int i = 0; i < readers.length; i++) {
      Reader reader = readers[nextReader];
      nextReader = (nextReader + 1) % readers.length;
      if (reader.isAlive()) {
        return reader;
      }
    }
    return null;
  }

  /** Reader thread: queues a call; false when the queue is full (the caller keeps its charge). */
  boolean enqueue(Call call) {
    gate.callQueued(call.chargedBytes()); // before offer: a handler may finish it at once
    if (callQueue.offer(call)) {
      return true;
    }
    gate.callFinished(call.chargedBytes());
    return false;
  }

  Call pollCall(long timeout, TimeUnit unit) throws InterruptedException {
    return callQueue.poll(timeout, unit);
  }

  /** Handlers may end: stopping, every reader gone (no new calls) and the queue empty. */
  boolean handlersMayExit() {
    return lifecycle.isStopping() && readersRunning.getCount() == 0 && callQueue.isEmpty();
  }

  void readerExited() {
    readersRunning.countDown();
  }

  void connectionClosed(Connection connection) {
    connections.remove(connection);
  }

  private void dropQueuedCalls() {
    Call call;
    while ((call = callQueue.poll()) != null) {
      call.finish();
    }
  }

  void closeAllConnections() {
    for (Connection connection : new ArrayList<>(connections)) {
      connection.close();
    }
  }

  /**
   * One step of shutdown, on the responder thread: wait for the handlers (interrupting them at the
   * grace deadline), then close connections once their responses are out (all of them a little
   * after the deadline).
   *
   * @return true when everything is closed and the responder may end
   */
  boolean shutdownStep() {
    long now = System.nanoTime();
    if (!lifecycle.handlersDone(now, this::dropQueuedCalls)) {
      return false;
    }
    boolean force = lifecycle.forceCloseConnections(now);
    for (Connection connection : new ArrayList<>(connections)) {
      if (force || !connection.hasQueuedResponses()) {
        connection.close();
      }
    }
    return connections.isEmpty();
  }
}

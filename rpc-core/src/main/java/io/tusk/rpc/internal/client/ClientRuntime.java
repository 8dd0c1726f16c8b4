package io.tusk.rpc.internal.client;

import com.google.protobuf.ByteString;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.Ticker;
import io.tusk.rpc.client.ClientOptions;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.intercept.ClientInterceptor;
import io.tusk.rpc.internal.Threads;
import io.tusk.rpc.wire.FrameEncoder;
import io.tusk.rpc.wire.RpcConstants;
import io.tusk.rpc.wire.RpcHeaders;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.SocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime behind {@link io.tusk.rpc.client.Client}: the connection table, the client id, the
 * call-id counter, deadlines, blocking waits and shutdown.
 *
 * <p>Threads: every method may be called by any number of caller threads at once. Connections
 * are created on first use by whichever caller gets there first ({@link ConcurrentMap#computeIfAbsent}
 * only builds the object) and set up on an I/O thread; they remove themselves from the table when
 * they close, so the next call makes a new one. The client owns, and {@link #close} joins:
 * <ul>
 *   <li>{@code <name>-io-N}: a cached pool of daemon threads that connect and set up connections
 *       and write for callers that must not block (asynchronous calls, pings). At most one task
 *       per connection runs at a time, so the pool never holds more threads than connections;
 *       idle threads end after {@link #IO_KEEP_ALIVE_SECONDS} s.
 *   <li>{@code <name>-timer}: one thread for deadlines, stuck writes, pings and idle close
 *       ({@link ClientTimer}).
 *   <li>{@code <name>-receiver@host:port}: one per open connection ({@link Receiver}).
 * </ul>
 */
public final class ClientRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClientRuntime.class);

  /** A call refused by a closing connection tries this many connections before giving up. */
  private static final int MAX_CONNECTION_ATTEMPTS = 3;

  private static final long JOIN_TIMEOUT_MS = 10_000;

  static final long IO_KEEP_ALIVE_SECONDS = 10;

  /** Deadlines are capped so that {@code start + timeout} cannot overflow (about 73 years). */
  private static final long MAX_TIMEOUT_NANOS = Long.MAX_VALUE >> 2;

  private final String name;
  private final ClientOptions options;
  private final SocketFactory socketFactory;
  /** Outermost first; empty = calls go to the transport directly. Never modified. */
  private final ClientInterceptor[] interceptors;
  private final Ticker ticker;
  private final byte[] clientId;
  private final ByteString clientIdBytes;
  private final byte[] pingFrame;
  private final CallIds callIds = new CallIds();
  private final ConcurrentMap<ConnectionId, Connection> connections = new ConcurrentHashMap<>();
  private final Function<ConnectionId, Connection> newConnection = id -> new Connection(this, id);
  private final Set<Thread> receivers = ConcurrentHashMap.newKeySet();
  private final Set<Thread> ioThreads = ConcurrentHashMap.newKeySet();
  private final AtomicInteger ioThreadIds = new AtomicInteger();
  private final ThreadPoolExecutor io;
  private final ClientTimer timer;
  private final Thread timerThread;
  private volatile boolean closed;

  public ClientRuntime(String name, ClientOptions options, SocketFactory socketFactory) {
    this(name, options, socketFactory, List.of(), Ticker.SYSTEM);
  }

  /**
   * @param interceptors run around every call, the first outermost
   * @param ticker the clock of every timer: call deadlines, pings, idle close, stuck writes and
   *     dead-connection detection (the timer thread still wakes on real time)
   */
  public ClientRuntime(String name, ClientOptions options, SocketFactory socketFactory,
      List<ClientInterceptor> interceptors, Ticker ticker) {
    this.interceptors = interceptors.toArray(new ClientInterceptor[0]);
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.name = Objects.requireNonNull(name, "name");
    this.options = Objects.requireNonNull(options, "options");
    this.socketFactory = Objects.requireNonNull(socketFactory, "socketFactory");
    this.clientId = uuidBytes(UUID.randomUUID());
    this.clientIdBytes = ByteString.copyFrom(clientId);
    try {
      this.pingFrame = new FrameEncoder().encodeToArray(RpcHeaders.ping(clientIdBytes), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory encoding of a fixed header cannot fail
    }
    this.io = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IO_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
        new SynchronousQueue<>(), this::newIoThread);
    this.timer = new ClientTimer(this);
    this.timerThread = new Thread(timer, name + "-timer");
    timerThread.setDaemon(true);
    timerThread.start();
  }

  private Thread newIoThread(Runnable worker) {
    Thread t = new Thread(() -> {
      try {
        worker.run();
      } finally {
        ioThreads.remove(Thread.currentThread());
      }
    }, name + "-io-" + ioThreadIds.incrementAndGet());
    t.setDaemon(true);
    ioThreads.add(t);
    return t;
  }

  static byte[] uuidBytes(UUID uuid) {
    return ByteBuffer.allocate(RpcConstants.CLIENT_ID_LENGTH)
        .putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits())
        .array();
  }

  public String name() {
    return name;
  }

  public ClientOptions options() {
    return options;
  }

  SocketFactory socketFactory() {
    return socketFactory;
  }

  /** The clock of every timer of this client. */
  Ticker ticker() {
    return ticker;
  }

  /** The I/O threads: connection setup and writes that must not block a caller. */
  Executor executor() {
    return io;
  }

  /** A copy of the 16-byte client id. */
  public byte[] clientId() {
    return clientId.clone();
  }

  ByteString clientIdBytes() {
    return clientIdBytes;
  }

  /** The encoded ping frame; shared, never modified. */
  byte[] pingFrame() {
    return pingFrame;
  }

  boolean hasConnections() {
    return !connections.isEmpty();
  }

  Iterable<Connection> connections() {
    return connections.values();
  }

  /** Open connections. */
  public int connectionCount() {
    int open = 0;
    for (Connection c : connections.values()) {
      if (c.isOpen()) {
        open++;
      }
    }
    return open;
  }

  /** Calls registered on any connection (connecting, queued, sent) and not yet completed. */
  public int pendingCallCount() {
    int pendingCalls = 0;
    for (Connection c : connections.values()) {
      pendingCalls += c.pendingCount();
    }
    return pendingCalls;
  }

  /**
   * Starts a call without blocking on connect or on the socket; every failure, including the
   * deadline ({@code timeout}, zero = none), arrives through the future.
   */
  public CompletableFuture<ByteBuffer> callAsync(RpcKind kind, RpcPayload request,
      ConnectionId remote, int retryCount, Duration timeout) {
    long timeoutNanos = timeoutNanos(timeout);
    if (interceptors.length > 0) {
      requireArguments(kind, request, remote);
      try {
        return new InterceptedCall(this, kind, request, remote, retryCount, nanoTime(),
            timeoutNanos, true).run(interceptors);
      } catch (IOException | RuntimeException e) {
        return CompletableFuture.failedFuture(e); // an interceptor failed fast
      }
    }
    try {
      return start(kind, request, remote, retryCount, nanoTime(), timeoutNanos, true, null);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Sends a call and waits for its response; {@code timeout} (zero = no limit) covers connecting,
   * sending and waiting.
   */
  public ByteBuffer call(RpcKind kind, RpcPayload request, ConnectionId remote, int retryCount,
      Duration timeout) throws IOException {
    long timeoutNanos = timeoutNanos(timeout);
    long start = nanoTime();
    if (interceptors.length > 0) {
      requireArguments(kind, request, remote);
      return awaitIntercepted(new InterceptedCall(this, kind, request, remote, retryCount, start,
          timeoutNanos, false));
    }
    return await(start(kind, request, remote, retryCount, start, timeoutNanos, false, null));
  }

  /** The client's clock for call starts and deadlines. */
  private long nanoTime() {
    return ticker.nanoTime();
  }

  private static void requireArguments(RpcKind kind, RpcPayload request, ConnectionId remote) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(remote, "remote");
  }

  /**
   * A blocking call through the interceptors. The transport's own call (if an interceptor let it
   * through) is awaited as any blocking call is, deadline and interrupt included; the caller then
   * gets what the outermost interceptor's future says, which is usually complete by then (a stage
   * of the transport's future) and is otherwise awaited for what is left of the deadline.
   */
  private ByteBuffer awaitIntercepted(InterceptedCall call) throws IOException {
    CompletableFuture<ByteBuffer> outcome = call.run(interceptors);
    PendingCall sent = call.sent();
    if (sent != null) {
      if (outcome == sent) {
        return await(sent);
      }
      try {
        await(sent);
      } catch (InterruptedIOException e) {
        throw e; // abandoned, and the thread's interrupt is set again
      } catch (IOException | RuntimeException e) {
        // the interceptor's future decides what the caller sees
      }
    }
    try {
      if (call.timeoutNanos() == 0 || outcome.isDone()) {
        return outcome.get();
      }
      long left = call.startNanos() + call.timeoutNanos() - nanoTime();
      return outcome.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    } catch (TimeoutException e) {
      throw new SocketTimeoutException("Call to " + call.connectionId().address()
          + " timed out after " + TimeUnit.NANOSECONDS.toMillis(call.timeoutNanos())
          + " ms waiting for a client interceptor");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException iie = new InterruptedIOException("Interrupted while waiting for a"
          + " call to " + call.connectionId().address());
      iie.initCause(e);
      throw iie;
    } catch (CancellationException e) {
      throw new IOException("Call to " + call.connectionId().address() + " was cancelled", e);
    }
  }

  private static long timeoutNanos(Duration timeout) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("negative timeout " + timeout);
    }
    return timeout.compareTo(Duration.ofNanos(MAX_TIMEOUT_NANOS)) > 0
        ? MAX_TIMEOUT_NANOS : timeout.toNanos();
  }

  /** Registers and sends one call; {@code extra} holds interceptor-set header fields (or null). */
  PendingCall start(RpcKind kind, RpcPayload request, ConnectionId remote, int retryCount,
      long startNanos, long timeoutNanos, boolean async, HeaderFields extra) throws IOException {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(remote, "remote");
    for (int attempt = 1; ; attempt++) {
      Connection connection = connectionFor(remote);
      PendingCall call = connection.call(kind, request, callIds.next(), retryCount, startNanos,
          timeoutNanos, async, extra);
      if (call != null) {
        return call;
      }
      // The connection is closing (idle, broken, dead): make sure it is out of the table and try
      // a fresh one.
      connections.remove(remote, connection);
      if (attempt == MAX_CONNECTION_ATTEMPTS) {
        ensureOpen();
        throw new IOException("Call to " + remote.address() + " failed: " + attempt
            + " connections in a row closed before the call could be sent");
      }
    }
  }

  /** The connection calls to {@code remote} use now, made when there is none. */
  private Connection connectionFor(ConnectionId remote) throws IOException {
    ensureOpen();
    Connection connection = connections.get(remote);
    if (connection == null) {
      connection = connections.computeIfAbsent(remote, newConnection);
      if (closed) {
        // close() may have missed it: it emptied the table before we added to it.
        connection.close("client closed (" + name + ")", null);
        throw closedException();
      }
      timer.connectionAdded();
    }
    return connection;
  }

  /**
   * A call's connection closed before any of its request was written (the server closed it, or
   * it broke): sends it again on the connection now current for its address, within its own
   * deadline, at most {@link #MAX_CONNECTION_ATTEMPTS} connections in all. Never blocks: runs on
   * whichever thread closed the old connection.
   */
  void resend(PendingCall diverted) {
    ConnectionId remote = diverted.connection().id();
    for (int tries = 0; tries < MAX_CONNECTION_ATTEMPTS && !diverted.isDone(); tries++) {
      if (diverted.attempt() >= MAX_CONNECTION_ATTEMPTS) {
        break;
      }
      try {
        Connection connection = connectionFor(remote);
        if (connection.adopt(diverted)) {
          LOG.debug("Resending call #{} to {} on a new connection (its connection closed before"
              + " the request was written)", diverted.id(), remote.address());
          return;
        }
        connections.remove(remote, connection); // closing (idle): make way for a fresh one
      } catch (IOException | RuntimeException e) {
        diverted.fail(e); // client closed, or the request no longer encodes
        return;
      }
    }
    diverted.fail(new IOException("Call #" + diverted.id() + " to " + remote.address()
        + " failed: " + diverted.attempt() + " connections in a row closed before the call could"
        + " be sent"));
  }

  private ByteBuffer await(PendingCall call) throws IOException {
    try {
      if (!call.hasDeadline()) {
        return call.get();
      }
      long left = call.deadlineNanos() - nanoTime();
      if (left > 0) {
        try {
          return call.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          // expire it below
        }
      }
      // A call resent on a new connection is expired there; its outcome completes this one.
      PendingCall current = call.current();
      current.connection().expire(current, nanoTime());
      return call.get(); // done now: by us, or by whoever completed it just before
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    } catch (InterruptedException e) {
      InterruptedIOException iie = new InterruptedIOException("Interrupted while waiting for call #"
          + call.id() + " to " + call.connection().address());
      iie.initCause(e);
      if (call.abandon()) {
        call.fail(iie);
      }
      Thread.currentThread().interrupt();
      throw iie;
    } catch (CancellationException e) {
      throw new IOException("Call #" + call.id() + " to " + call.connection().address()
          + " was cancelled", e);
    }
  }

  private static IOException unwrap(Throwable cause) {
    if (cause instanceof IOException io) {
      return io;
    }
    if (cause instanceof RuntimeException re) {
      throw re;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    return new IOException(cause);
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw closedException();
    }
  }

  private IOException closedException() {
    return new IOException("Client " + name + " is closed");
  }

  /** A connection closed: take it out of the table so the next call makes a new one. */
  void connectionClosed(Connection connection) {
    connections.remove(connection.id(), connection);
  }

  void receiverStarted(Thread receiver) {
    receivers.add(receiver);
  }

  void receiverEnded(Thread receiver) {
    receivers.remove(receiver);
  }

  /**
   * Fails every pending call ("client closed"), closes every connection (which also ends connects
   * and writes in progress) and joins every thread of this client (waiting at most ten seconds in
   * all). Idempotent; later calls fail at once.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (Connection connection : connections.values()) {
      connection.close("client closed (" + name + ")", null);
    }
    timer.stop();
    io.shutdown();
    List<Thread> threads = new ArrayList<>();
    threads.add(timerThread);
    threads.addAll(ioThreads);
    threads.addAll(receivers);
    try {
      for (Thread thread : Threads.joinAll(threads, Duration.ofMillis(JOIN_TIMEOUT_MS))) {
        LOG.warn("Thread {} did not end after close", thread.getName());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.debug("Client {} closed", name);
  }
}

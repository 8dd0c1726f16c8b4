package io.tusk.rpc.internal.client;

import com.google.protobuf.ByteString;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.client.ClientOptions;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.wire.FrameEncoder;
import io.tusk.rpc.wire.RpcConstants;
import io.tusk.rpc.wire.RpcHeaders;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import javax.net.SocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime behind {@link io.tusk.rpc.client.Client}: the connection table, the client id, the
 * call-id counter, blocking waits and shutdown.
 *
 * <p>Threads: every method may be called by any number of caller threads at once. Connections
 * are created on first use by whichever caller gets there first ({@link ConcurrentMap#computeIfAbsent}
 * only builds the object; connecting happens afterwards on that caller's thread) and remove
 * themselves from the table when they close, so the next call makes a new one. Receiver threads
 * register in {@code receivers} before they start and leave it when they end, so {@link #close}
 * can join every one of them.
 */
public final class ClientRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClientRuntime.class);

  /** A call refused by a closing connection tries this many connections before giving up. */
  private static final int MAX_CONNECTION_ATTEMPTS = 3;

  private static final long JOIN_TIMEOUT_MS = 10_000;

  private final String name;
  private final ClientOptions options;
  private final SocketFactory socketFactory;
  private final byte[] clientId;
  private final ByteString clientIdBytes;
  private final byte[] pingFrame;
  private final CallIds callIds = new CallIds();
  private final ConcurrentMap<ConnectionId, Connection> connections = new ConcurrentHashMap<>();
  private final Function<ConnectionId, Connection> newConnection = id -> new Connection(this, id);
  private final Set<Thread> receivers = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public ClientRuntime(String name, ClientOptions options, SocketFactory socketFactory) {
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

  /** Sends a call; failures to connect or send arrive through the future. */
  public CompletableFuture<ByteBuffer> callAsync(RpcKind kind, RpcPayload request,
      ConnectionId remote, int retryCount) {
    try {
      return start(kind, request, remote, retryCount);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Sends a call and waits for its response.
   *
   * @param timeout zero waits without limit
   */
  public ByteBuffer call(RpcKind kind, RpcPayload request, ConnectionId remote, int retryCount,
      Duration timeout) throws IOException {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("negative timeout " + timeout);
    }
    return await(start(kind, request, remote, retryCount), timeout);
  }

  private PendingCall start(RpcKind kind, RpcPayload request, ConnectionId remote,
      int retryCount) throws IOException {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(remote, "remote");
    for (int attempt = 1; ; attempt++) {
      ensureOpen();
      Connection connection = connections.get(remote);
      if (connection == null) {
        connection = connections.computeIfAbsent(remote, newConnection);
        if (closed) {
          // close() may have missed it: it emptied the table before we added to it.
          connection.close("client closed (" + name + ")", null);
          throw closedException();
        }
      }
      if (connection.setup()) {
        PendingCall call = connection.call(kind, request, callIds.next(), retryCount);
        if (call != null) {
          return call;
        }
      }
      // The connection is closing (idle, broken, or its first caller was interrupted): make sure
      // it is out of the table and try a fresh one.
      connections.remove(remote, connection);
      if (attempt == MAX_CONNECTION_ATTEMPTS) {
        ensureOpen();
        throw new IOException("Call to " + remote.address() + " failed: " + attempt
            + " connections in a row closed before the call could be sent");
      }
    }
  }

  private ByteBuffer await(PendingCall call, Duration timeout) throws IOException {
    try {
      return timeout.isZero() ? call.get() : call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    } catch (TimeoutException e) {
      if (call.abandon()) {
        throw new SocketTimeoutException("Call #" + call.id() + " to " + call.connection().address()
            + " timed out after " + timeout.toMillis() + " ms waiting for the response");
      }
      return await(call, Duration.ZERO); // completed just now: take its result
    } catch (InterruptedException e) {
      call.abandon();
      Thread.currentThread().interrupt();
      InterruptedIOException iie = new InterruptedIOException("Interrupted while waiting for call #"
          + call.id() + " to " + call.connection().address());
      iie.initCause(e);
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
   * Fails every pending call ("client closed"), closes every connection and joins every receiver
   * thread (waiting at most ten seconds in all). Idempotent; later calls fail at once.
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
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_TIMEOUT_MS);
    boolean interrupted = false;
    for (Thread receiver : receivers) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      try {
        if (left > 0) {
          receiver.join(left);
        }
      } catch (InterruptedException e) {
        interrupted = true;
        break;
      }
      if (receiver.isAlive()) {
        LOG.warn("Receiver thread {} did not end after close", receiver.getName());
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    LOG.debug("Client {} closed", name);
  }
}

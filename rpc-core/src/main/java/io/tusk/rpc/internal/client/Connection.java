package io.tusk.rpc.internal.client;

import com.google.protobuf.ByteString;
import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.client.ClientOptions;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.proto.ConnectionContextProtos.IpcConnectionContextProto;
import io.tusk.rpc.proto.ConnectionContextProtos.UserInformationProto;
import io.tusk.rpc.wire.FrameEncoder;
import io.tusk.rpc.wire.Preamble;
import io.tusk.rpc.wire.RpcConstants;
import io.tusk.rpc.wire.RpcHeaders;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection to a server for one {@link ConnectionId}, shared by every caller.
 *
 * <p>Who owns what:
 * <ul>
 *   <li>Setup (connect with retries, preamble, connection context) runs on the first caller's
 *       thread under {@code setupLock}; later callers wait on that lock or pass the volatile
 *       {@code state == OPEN} check.
 *   <li>Sending runs on callers' threads. Each encodes its frame with its own thread-local
 *       {@link FrameEncoder}; whoever wins the {@code writing} flag drains the frame queue into
 *       the buffered stream and flushes once; the others enqueue a copy of their frame and return.
 *       The socket output stream is touched only by the holder of {@code writing}.
 *   <li>Receiving belongs to the {@link Receiver} thread: it owns the input stream, the decoder,
 *       the read buffer, the ping and idle clocks.
 *   <li>{@link #close} may run on any thread (receiver on EOF or FATAL, a writer whose write
 *       failed, the client's close); the first one wins, the rest are no-ops.
 * </ul>
 */
final class Connection {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  /** Each caller thread reuses one encoder: no per-call buffer once it has grown. */
  private static final ThreadLocal<FrameEncoder> ENCODER = ThreadLocal.withInitial(FrameEncoder::new);

  private static final int OUTPUT_BUFFER = 16 * 1024;

  private enum State { NEW, OPEN, CLOSED }

  private final ClientRuntime client;
  private final ConnectionId id;
  private final InetSocketAddress address;
  private final PendingCalls pending = new PendingCalls();
  private final ConcurrentLinkedQueue<byte[]> sendQueue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean writing = new AtomicBoolean();
  private final Object setupLock = new Object();
  private final CountDownLatch closedLatch = new CountDownLatch(1);

  private volatile State state = State.NEW;
  /** The socket being connected or in use; close() closes it to abort either. */
  private volatile Socket socket;
  /** Written before {@code state} turns OPEN; then used only by the holder of {@code writing}. */
  private OutputStream out;
  /** Guarded by setupLock: why setup failed, handed to callers that waited for it. */
  private IOException setupFailure;

  Connection(ClientRuntime client, ConnectionId id) {
    this.client = client;
    this.id = id;
    this.address = id.address();
  }

  ConnectionId id() {
    return id;
  }

  InetSocketAddress address() {
    return address;
  }

  boolean isOpen() {
    return state == State.OPEN;
  }

  int pendingCount() {
    return pending.size();
  }

  // ---------------------------------------------------------------- setup (caller's thread)

  /**
   * Makes sure the connection is open, connecting on this thread if nobody has yet.
   *
   * @return true when open; false when it closed before opening (idle, interrupted first caller,
   *     client closing): use a fresh connection
   * @throws ConnectException when the server could not be reached (also to callers that waited)
   * @throws InterruptedIOException when this thread was interrupted while connecting
   */
  boolean setup() throws IOException {
    if (state == State.OPEN) {
      return true;
    }
    synchronized (setupLock) {
      if (state == State.OPEN) {
        return true;
      }
      if (state == State.CLOSED) {
        if (setupFailure != null) {
          throw copyOf(setupFailure);
        }
        return false;
      }
      try {
        return open();
      } catch (InterruptedIOException e) {
        close("interrupted while connecting", e);
        throw e;
      } catch (IOException e) {
        setupFailure = e;
        close("could not connect: " + e.getMessage(), e);
        throw e;
      } catch (RuntimeException | Error e) {
        close("could not connect: " + e, e);
        throw e;
      }
    }
  }

  private boolean open() throws IOException {
    Socket s = connect();
    if (s == null) {
      return false;
    }
    OutputStream raw;
    try {
      raw = s.getOutputStream();
      raw.write(handshake(client.clientIdBytes(), id));
      raw.flush();
    } catch (IOException e) {
      closeQuietly(s);
      if (state == State.CLOSED) {
        return false;
      }
      throw new IOException("Call to " + address
          + " failed while sending the connection header: " + e.getMessage(), e);
    }
    synchronized (this) {
      if (state == State.CLOSED) {
        closeQuietly(s);
        return false;
      }
      out = new BufferedOutputStream(raw, OUTPUT_BUFFER);
      Thread receiverThread = new Thread(new Receiver(this, s, client.options()),
          client.name() + "-receiver@" + address.getAddress().getHostAddress() + ":"
              + address.getPort());
      receiverThread.setDaemon(true);
      client.receiverStarted(receiverThread);
      state = State.OPEN;
      receiverThread.start();
    }
    LOG.debug("Connected to {} for {} as {}", address, id.protocol(), id.user());
    return true;
  }

  /** Connects with bounded retries; null when the connection was closed meanwhile. */
  private Socket connect() throws IOException {
    ClientOptions o = client.options();
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, o.connectTimeout().toMillis());
    IOException last = null;
    int attempts = 0;
    for (int i = 0; i <= o.maxConnectRetries(); i++) {
      if (i > 0) {
        pause(o.connectRetryInterval().toMillis());
      }
      if (state == State.CLOSED) {
        return null;
      }
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("Interrupted while connecting to " + address);
      }
      attempts++;
      Socket s = client.socketFactory().createSocket();
      socket = s;
      try {
        s.setTcpNoDelay(o.tcpNoDelay());
        s.setKeepAlive(true);
        s.connect(address, timeoutMs);
        return s;
      } catch (IOException e) {
        closeQuietly(s);
        if (state == State.CLOSED) {
          return null;
        }
        last = e;
        LOG.debug("Connect attempt {} of {} to {} failed: {}", attempts,
            o.maxConnectRetries() + 1, address, e.toString());
      }
    }
    ConnectException failure = new ConnectException("Call to " + address
        + " failed on connection exception: " + last + " after " + attempts
        + (attempts == 1 ? " attempt" : " attempts"));
    failure.initCause(last);
    throw failure;
  }

  /** Waits between connect attempts; wakes early when the connection is closed. */
  private void pause(long millis) throws InterruptedIOException {
    try {
      closedLatch.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException iie = new InterruptedIOException(
          "Interrupted while waiting to reconnect to " + address);
      iie.initCause(e);
      throw iie;
    }
  }

  /** The preamble and the connection-context frame, written in one go. */
  static byte[] handshake(ByteString clientId, ConnectionId id) throws IOException {
    byte[] preamble = Preamble.encode(RpcConstants.DEFAULT_SERVICE_CLASS);
    IpcConnectionContextProto context = IpcConnectionContextProto.newBuilder()
        .setUserInfo(UserInformationProto.newBuilder().setEffectiveUser(id.user()))
        .setProtocol(id.protocol())
        .build();
    byte[] frame = new FrameEncoder().encodeToArray(RpcHeaders.connectionContext(clientId),
        context::writeDelimitedTo);
    byte[] all = new byte[preamble.length + frame.length];
    System.arraycopy(preamble, 0, all, 0, preamble.length);
    System.arraycopy(frame, 0, all, preamble.length, frame.length);
    return all;
  }

  /** A fresh exception like a stored setup failure, so each waiting caller gets its own. */
  private static IOException copyOf(IOException e) {
    IOException copy = e instanceof ConnectException
        ? new ConnectException(e.getMessage())
        : new IOException(e.getMessage());
    copy.initCause(e.getCause() != null ? e.getCause() : e);
    return copy;
  }

  // ---------------------------------------------------------------- send (caller's thread)

  /**
   * Registers and writes one call.
   *
   * @return the pending call, or null when the connection is closing (use a fresh one)
   * @throws IOException when the payload could not be encoded (nothing was registered)
   */
  PendingCall call(RpcKind kind, RpcPayload payload, int callId, int retryCount)
      throws IOException {
    FrameEncoder encoder = ENCODER.get();
    ByteBuffer frame;
    try {
      frame = encoder.encode(RpcHeaders.request(kind, callId, retryCount, client.clientIdBytes()),
          payload);
    } catch (IOException | RuntimeException e) {
      encoder.trim();
      throw e;
    }
    PendingCall call = new PendingCall(callId, this);
    if (!pending.add(call)) {
      encoder.trim();
      return null;
    }
    send(frame, encoder);
    return call;
  }

  /** Queues a ping (receiver thread); it goes out with the next flush, at once if nobody writes. */
  void sendPing() {
    sendQueue.add(client.pingFrame());
    flushQueue();
  }

  private void send(ByteBuffer frame, FrameEncoder encoder) {
    if (writing.compareAndSet(false, true)) {
      IOException failure = null;
      try {
        writeQueued();
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
        writeQueued();
        out.flush();
      } catch (IOException e) {
        failure = e;
      } finally {
        writing.set(false);
      }
      encoder.trim();
      if (failure != null) {
        writeFailed(failure);
        return;
      }
    } else {
      byte[] copy = new byte[frame.remaining()];
      frame.get(copy);
      encoder.trim();
      sendQueue.add(copy);
    }
    // Frames queued while we held the flag (or by whoever held it when we could not) must not
    // be stranded: re-check after every release.
    flushQueue();
  }

  private void flushQueue() {
    while (!sendQueue.isEmpty() && writing.compareAndSet(false, true)) {
      IOException failure = null;
      try {
        writeQueued();
        out.flush();
      } catch (IOException e) {
        failure = e;
      } finally {
        writing.set(false);
      }
      if (failure != null) {
        writeFailed(failure);
        return;
      }
    }
  }

  /** Holder of {@code writing} only. */
  private void writeQueued() throws IOException {
    byte[] frame;
    while ((frame = sendQueue.poll()) != null) {
      out.write(frame);
    }
  }

  private void writeFailed(IOException e) {
    if (state == State.OPEN) {
      LOG.warn("Write to {} failed: {}", address, e.toString());
    }
    close("write failed: " + e.getMessage(), e);
  }

  // ---------------------------------------------------------------- receive (receiver thread)

  /** Takes the call a response is for; null when unknown (e.g. timed out). */
  PendingCall take(int callId) {
    return pending.remove(callId);
  }

  /** Caller gave up on the call; a late response for it will be dropped. */
  boolean abandon(PendingCall call) {
    return pending.remove(call);
  }

  /**
   * The server sent FATAL: the call it names gets the remote exception, every other call an
   * IOException naming this address with the remote exception as cause; then the connection
   * closes. When the id matches no call (e.g. -2 for a version mismatch) every call gets it.
   */
  void fatal(int callId, Supplier<RemoteException> remote) {
    PendingCall call = pending.remove(callId);
    RemoteException first = remote.get();
    LOG.warn("Fatal error from {} for call #{}: {}", address, callId, first.toString());
    String reason = "fatal error from the server: " + first.getMessage();
    if (call != null) {
      // Close first, so that whoever wakes up on this call and calls again gets a new connection.
      close(reason, first);
      call.completeExceptionally(first);
    } else {
      closeFailing(reason, c -> remote.get());
    }
  }

  /** The receiver closes an idle connection only if no call slipped in meanwhile. */
  boolean closeIfIdle(long idleMillis) {
    if (!pending.closeIfIdle()) {
      return false;
    }
    close("idle for " + idleMillis + " ms", null);
    return true;
  }

  // ---------------------------------------------------------------- close (any thread)

  /**
   * Closes the connection and fails every pending call with an IOException saying that the
   * connection to this address closed while waiting for it, and why. Idempotent.
   */
  void close(String reason, Throwable cause) {
    closeFailing(reason, call -> new IOException("Connection to " + address
        + " closed while waiting for call #" + call.id() + ": " + reason, cause));
  }

  private void closeFailing(String reason, Function<PendingCall, ? extends IOException> failure) {
    Socket s;
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      s = socket;
    }
    closedLatch.countDown();
    client.connectionClosed(this);
    pending.close();
    closeQuietly(s);
    sendQueue.clear();
    int failed = pending.failAll(failure);
    LOG.debug("Closed connection to {} ({}); failed {} pending call(s)", address, reason, failed);
  }

  /** Called last by the receiver thread. */
  void receiverEnded() {
    client.receiverEnded(Thread.currentThread());
  }

  private static void closeQuietly(Socket s) {
    if (s == null) {
      return;
    }
    try {
      s.close();
    } catch (IOException e) {
      LOG.debug("Error closing socket: {}", e.toString());
    }
  }

  @Override
  public String toString() {
    return "Connection[" + id + ", " + state + ", " + pending.size() + " pending]";
  }
}

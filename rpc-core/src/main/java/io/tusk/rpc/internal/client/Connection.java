package io.tusk.rpc.internal.client;

import com.google.protobuf.ByteString;
import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.client.ClientOptions;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.proto.ConnectionContextProtos.IpcConnectionContextProto;
import io.tusk.rpc.proto.ConnectionContextProtos.UserInformationProto;
import io.tusk.rpc.wire.FrameEncoder;
import io.tusk.rpc.wire.Preamble;
import io.tusk.rpc.wire.RpcConstants;
import io.tusk.rpc.wire.RpcHeaders;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection to a server for one {@link ConnectionId}, shared by every caller.
 *
 * <p>Who owns what:
 * <ul>
 *   <li>Setup (connect with retries, preamble, connection context) runs once, on one of the
 *       client's I/O threads, started by the first call. Calls made meanwhile are registered and
 *       their frames queued; they are written when setup succeeds and fail with its exception when
 *       it fails. No caller waits on setup other than through its own call's future, with its own
 *       deadline and interrupt. When every such call has given up (deadline, interrupt, cancel),
 *       the timer abandons the setup.
 *   <li>Sending belongs to the {@link Sender}: blocking callers write on their own thread,
 *       everything that must not block hands the writing to an I/O thread.
 *   <li>Receiving belongs to the {@link Receiver} thread: it owns the input stream, the decoder and
 *       the read buffer, and stamps when bytes last arrived.
 *   <li>Time belongs to the client's timer thread ({@link #tick}): deadlines of calls, writes stuck
 *       past a deadline, pings while calls wait, idle close. A call whose deadline passes on a
 *       connection that received nothing during the call, or whose request is stuck unsent, closes
 *       the connection: it is presumed dead, and later calls open a fresh one.
 *   <li>{@link #close} may run on any thread; the first one wins, the rest are no-ops. When the
 *       server closed the connection or its socket broke ({@link #closeResending}), calls whose
 *       request no writer had begun to hand to the socket are not failed but sent again on a new
 *       connection ({@link ClientRuntime#resend}, {@link #adopt}): the server cannot have seen
 *       them. Calls whose request was written, even in part, fail: the server may have run them.
 * </ul>
 */
final class Connection {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  /** {@link #lastReceiveNanos} before anything arrived. */
  private static final long NEVER = Long.MIN_VALUE;

  private enum State { NEW, CONNECTING, OPEN, CLOSED }

  private final ClientRuntime client;
  private final ConnectionId id;
  private final InetSocketAddress address;
  private final PendingCalls pending = new PendingCalls();
  /** Callers borrow an encoder per call: no per-call buffer once they have grown. */
  private final EncoderPool encoders = new EncoderPool(EncoderPool.DEFAULT_SIZE);
  private final Sender sender;
  private final CountDownLatch closedLatch = new CountDownLatch(1);
  private final long pingNanos;
  private final long idleNanos;

  private volatile State state = State.NEW;
  /** The socket being connected or in use; close() closes it to abort either. */
  private volatile Socket socket;
  private volatile long openedNanos;
  /** When bytes last arrived; written by the receiver thread. */
  private volatile long lastReceiveNanos = NEVER;
  /** Timer thread only. */
  private long lastPingNanos = NEVER;

  Connection(ClientRuntime client, ConnectionId id) {
    this.client = client;
    this.id = id;
    this.address = id.address();
    ClientOptions o = client.options();
    this.sender = new Sender(this, client.executor(), o.sendQueueMaxBytes(), client.pingFrame());
    this.pingNanos = o.pingEnabled() ? o.pingInterval().toNanos() : 0;
    this.idleNanos = o.maxIdleTime().toNanos();
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

  // ---------------------------------------------------------------- calls (caller's thread)

  /**
   * Registers and sends one call. A blocking call on an open connection is written on this
   * thread (unless another caller is writing); anything else is queued, and setup is started if
   * nobody has started it.
   *
   * @param async true when this thread must not block on the socket
   * @param extra header fields set by the client's interceptors, or null (none)
   * @return the pending call, or null when the connection no longer admits calls (use a fresh one)
   * @throws IOException when the payload could not be encoded (nothing was registered)
   */
  PendingCall call(RpcKind kind, RpcPayload payload, int callId, int retryCount, long startNanos,
      long timeoutNanos, boolean async, HeaderFields extra) throws IOException {
    FrameEncoder encoder = encoders.take();
    ByteBuffer frame;
    try {
      frame = encoder.encode(extra == null
          ? RpcHeaders.request(kind, callId, retryCount, client.clientIdBytes())
          : RpcHeaders.request(kind, callId, retryCount, client.clientIdBytes(),
              extra.traceInfo(), extra.callerContext()), payload);
    } catch (IOException | RuntimeException e) {
      encoders.give(encoder);
      throw e;
    }
    PendingCall call = new PendingCall(callId, this, startNanos, timeoutNanos);
    call.request(kind, payload, retryCount, extra, 1);
    if (!pending.add(call)) {
      encoders.give(encoder);
      return null;
    }
    if (!async && state == State.OPEN) {
      sender.send(call, frame, encoder, encoders);
      return call;
    }
    byte[] copy = new byte[frame.remaining()];
    frame.get(copy);
    encoders.give(encoder);
    if (sender.enqueue(call, copy)) {
      // Setup drains the queue after it sets OPEN; a frame queued after that drain sees OPEN here.
      queued();
    }
    return call;
  }

  /**
   * Takes over a call diverted from a connection that closed before its request was written:
   * registers a fresh call with the same id, start, deadline and request here, queues it (never
   * blocking: the closing thread may be a receiver or a writer) and forwards its outcome to the
   * caller's call.
   *
   * @return false when this connection no longer admits calls (use a fresh one)
   * @throws IOException when the request could not be encoded again
   */
  boolean adopt(PendingCall diverted) throws IOException {
    FrameEncoder encoder = encoders.take();
    byte[] copy;
    try {
      HeaderFields extra = diverted.extra();
      ByteBuffer frame = encoder.encode(extra == null
          ? RpcHeaders.request(diverted.kind(), diverted.id(), diverted.retryCount(),
              client.clientIdBytes())
          : RpcHeaders.request(diverted.kind(), diverted.id(), diverted.retryCount(),
              client.clientIdBytes(), extra.traceInfo(), extra.callerContext()),
          diverted.payload());
      copy = new byte[frame.remaining()];
      frame.get(copy);
    } finally {
      encoders.give(encoder);
    }
    PendingCall call = new PendingCall(diverted.id(), this, diverted.startNanos(),
        diverted.timeoutNanos());
    call.request(diverted.kind(), diverted.payload(), diverted.retryCount(), diverted.extra(),
        diverted.attempt() + 1);
    if (!pending.add(call)) {
      return false;
    }
    diverted.forwardTo(call);
    if (diverted.isDone()) {
      abandon(call); // the caller gave up while the call moved: do not send it
      return true;
    }
    if (sender.enqueue(call, copy)) {
      queued();
    }
    return true;
  }

  /** A frame was queued: get it written, or dropped when the connection closed meanwhile. */
  private void queued() {
    State s = state;
    if (s == State.OPEN) {
      sender.kick();
    } else if (s == State.CLOSED) {
      sender.closed(); // the close may have drained the queue before this frame got in
    } else {
      startSetup();
    }
  }

  /** The send queue was full: the call fails at once. */
  void refuse(PendingCall call, long queuedBytes, long limit) {
    if (pending.remove(call)) {
      call.fail(new IOException("Call #" + call.id() + " to " + address + " not sent: "
          + queuedBytes + " bytes of requests already wait for this connection's socket, the"
          + " limit is " + limit + " (" + IpcKeys.CLIENT_SEND_QUEUE_MAX_BYTES + ")"));
    }
  }

  /** Caller gave up on the call; a late response for it will be dropped. */
  boolean abandon(PendingCall call) {
    return pending.remove(call);
  }

  // ---------------------------------------------------------------- setup (an I/O thread)

  private void startSetup() {
    synchronized (this) {
      if (state != State.NEW) {
        return;
      }
      state = State.CONNECTING;
    }
    try {
      client.executor().execute(this::setup);
    } catch (RejectedExecutionException e) {
      close("client closed (" + client.name() + ")", null);
    }
  }

  private void setup() {
    try {
      Socket s = connect();
      if (s == null) {
        return; // closed meanwhile
      }
      OutputStream raw;
      try {
        raw = s.getOutputStream();
        raw.write(handshake(client.clientIdBytes(), id));
        raw.flush();
      } catch (IOException e) {
        closeQuietly(s);
        if (state == State.CLOSED) {
          return;
        }
        throw new IOException("Call to " + address
            + " failed while sending the connection header: " + e.getMessage(), e);
      }
      synchronized (this) {
        if (state == State.CLOSED) {
          closeQuietly(s);
          return;
        }
        long now = client.ticker().nanoTime();
        sender.open(raw, now, client.ticker());
        Thread receiverThread = new Thread(new Receiver(this, s, client.options(),
            client.clientIdBytes()),
            client.name() + "-receiver@" + address.getAddress().getHostAddress() + ":"
                + address.getPort());
        receiverThread.setDaemon(true);
        client.receiverStarted(receiverThread);
        openedNanos = now;
        state = State.OPEN;
        receiverThread.start();
      }
      LOG.debug("Connected to {} for {} as {}", address, id.protocol(), id.user());
      sender.drainQueued();
    } catch (IOException e) {
      closeFailing("could not connect: " + e.getMessage(), call -> copyOf(e), false);
    } catch (RuntimeException | Error e) {
      LOG.warn("Setting up the connection to {} failed unexpectedly", address, e);
      close("could not connect: " + e, e);
    }
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
    UserInformationProto.Builder userInfo = UserInformationProto.newBuilder()
        .setEffectiveUser(id.user());
    if (id.realUser() != null) {
      userInfo.setRealUser(id.realUser()); // a proxy user: the server checks its proxyuser rules
    }
    IpcConnectionContextProto context = IpcConnectionContextProto.newBuilder()
        .setUserInfo(userInfo)
        .setProtocol(id.protocol())
        .build();
    byte[] frame = new FrameEncoder().encodeToArray(RpcHeaders.connectionContext(clientId),
        RpcPayload.delimited(context));
    byte[] all = new byte[preamble.length + frame.length];
    System.arraycopy(preamble, 0, all, 0, preamble.length);
    System.arraycopy(frame, 0, all, preamble.length, frame.length);
    return all;
  }

  /** A fresh exception like a setup failure, so each waiting caller gets its own. */
  private static IOException copyOf(IOException e) {
    IOException copy = e instanceof ConnectException
        ? new ConnectException(e.getMessage())
        : new IOException(e.getMessage());
    copy.initCause(e.getCause() != null ? e.getCause() : e);
    return copy;
  }

  // ---------------------------------------------------------------- receive (receiver thread)

  /** Bytes arrived (the receiver thread; stamped with the client's ticker). */
  void received() {
    lastReceiveNanos = client.ticker().nanoTime();
  }

  /** The client's clock: deadlines of this connection's calls count on it. */
  long nanoTime() {
    return client.ticker().nanoTime();
  }

  /** Takes the call a response is for; null when unknown (e.g. timed out). */
  PendingCall take(int callId) {
    return pending.remove(callId);
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
      call.fail(first);
    } else {
      closeFailing(reason, c -> remote.get(), false);
    }
  }

  // ---------------------------------------------------------------- time (timer thread)

  /**
   * The timer's visit, every few tens of milliseconds: fails calls past their deadline, closes a
   * connection whose writer is stuck past its caller's deadline, pings while calls wait and
   * nothing arrives, closes the connection when it has been idle.
   */
  void tick(long now) {
    State s = state;
    if (s == State.CLOSED) {
      return;
    }
    for (PendingCall call : pending.calls()) {
      if (call.hasDeadline() && now - call.deadlineNanos() >= 0) {
        expire(call, now);
        if (state == State.CLOSED) {
          return;
        }
      }
    }
    if (s == State.CONNECTING && pending.size() == 0 && pending.closeIfIdle()) {
      // Every call that wanted this connection gave up: stop connecting (closing the socket ends
      // a connect in progress); the next call starts afresh, within its own deadline.
      close("setup abandoned: no call waits for it any more", null);
      return;
    }
    if (s != State.OPEN) {
      return;
    }
    if (sender.holderStalled(now, ClientTimer.STALL_NANOS)) {
      closeAsDead("a write has been blocked past its caller's deadline with no progress for "
          + TimeUnit.NANOSECONDS.toMillis(now - sender.lastProgressNanos()) + " ms");
      return;
    }
    long quietSince = Math.max(openedNanos, Math.max(lastReceiveNanos, lastPingNanos));
    if (pending.size() > 0) {
      if (pingNanos > 0 && now - quietSince >= pingNanos) {
        LOG.debug("Pinging {} ({} call(s) pending)", address, pending.size());
        lastPingNanos = now;
        sender.ping();
      }
    } else if (now - quietSince >= idleNanos && pending.closeIfIdle()) {
      close("idle for " + TimeUnit.NANOSECONDS.toMillis(now - quietSince) + " ms", null);
    }
  }

  /**
   * The call's deadline passed (the timer, or the caller waiting for it): fails it with a
   * {@link SocketTimeoutException} naming the server and the timeout. When the connection looks
   * dead (nothing received during the whole call, or the request stuck unsent with no write
   * progress for half the timeout) it is closed, failing its other calls the same way.
   *
   * @return false when the call was no longer pending (completed meanwhile)
   */
  boolean expire(PendingCall call, long now) {
    if (!pending.remove(call)) {
      return false;
    }
    boolean open = state == State.OPEN;
    boolean written = open && sender.written(call);
    long timeoutMs = TimeUnit.NANOSECONDS.toMillis(call.timeoutNanos());
    String phase = !open ? "while connecting"
        : written ? "waiting for the response" : "before its request could be sent";
    call.fail(new SocketTimeoutException("Call #" + call.id() + " to " + address
        + " timed out after " + timeoutMs + " ms " + phase));
    if (open) {
      long received = lastReceiveNanos;
      if (received == NEVER || received - call.startNanos() < 0) {
        closeAsDead("call #" + call.id() + " timed out after " + timeoutMs
            + " ms with nothing received from the server since it began");
      } else if (!written && now - sender.lastProgressNanos() >= call.timeoutNanos() / 2) {
        closeAsDead("call #" + call.id() + " timed out after " + timeoutMs
            + " ms with its request unsent and no write progress for "
            + TimeUnit.NANOSECONDS.toMillis(now - sender.lastProgressNanos()) + " ms");
      }
    }
    return true;
  }

  private void closeAsDead(String why) {
    int failed = closeFailing(why, c -> new SocketTimeoutException("Call #" + c.id() + " to "
        + address + " failed: its connection was closed as dead (" + why + ")"), false);
    if (failed >= 0) {
      LOG.warn("Closed the connection to {} as dead: {}; {} other call(s) failed, new calls use a"
          + " new connection", address, why, failed);
    }
  }

  // ---------------------------------------------------------------- close (any thread)

  /** A write failed (or was ended by closing the socket). */
  void writeFailed(IOException e) {
    if (state == State.OPEN) {
      LOG.warn("Write to {} failed: {}", address, e.toString());
    }
    closeResending("write failed: " + e.getMessage(), e);
  }

  /**
   * Closes the connection and fails every pending call with an IOException saying that the
   * connection to this address closed while waiting for it, and why. Idempotent.
   */
  void close(String reason, Throwable cause) {
    closeFailing(reason, call -> closedException(call, reason, cause), false);
  }

  /**
   * The server closed the connection, or its socket broke (end of stream, reset, a failed write):
   * closes it as {@link #close} does, except that calls whose request no writer has begun to hand
   * to the socket are sent again on a new connection (they cannot have reached the server). A
   * call whose request was written, even in part, fails with the IOException of {@link #close}:
   * the server may have run it.
   */
  void closeResending(String reason, Throwable cause) {
    closeFailing(reason, call -> closedException(call, reason, cause), true);
  }

  private IOException closedException(PendingCall call, String reason, Throwable cause) {
    return new IOException("Connection to " + address + " closed while waiting for call #"
        + call.id() + ": " + reason, cause);
  }

  /**
   * @param resend move calls nobody has begun to write to a new connection instead of failing
   * @return how many calls were failed, or -1 when the connection was already closed
   */
  private int closeFailing(String reason, Function<PendingCall, ? extends IOException> failure,
      boolean resend) {
    Socket s;
    synchronized (this) {
      if (state == State.CLOSED) {
        return -1;
      }
      state = State.CLOSED;
      s = socket;
    }
    closedLatch.countDown();
    client.connectionClosed(this);
    pending.close();
    // Divert before the socket closes: a writer that claims a request from here on finds it
    // taken, and one that claimed it before may still get bytes out, so it counts as written.
    int[] resent = new int[1];
    int failed = pending.failAll(call -> {
      if (resend && call.divert()) {
        resent[0]++;
        client.resend(call);
        return null;
      }
      return failure.apply(call);
    });
    closeQuietly(s); // also ends a connect in progress and any write blocked on the socket
    sender.closed();
    if (resent[0] > 0) {
      LOG.debug("Closed connection to {} ({}); failed {} call(s), resending {} unsent", address,
          reason, failed, resent[0]);
    } else {
      LOG.debug("Closed connection to {} ({}); failed {} pending call(s)", address, reason,
          failed);
    }
    return failed;
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

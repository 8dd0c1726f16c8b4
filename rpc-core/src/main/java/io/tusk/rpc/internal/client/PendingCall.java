package io.tusk.rpc.internal.client;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;

/**
 * One call waiting for its response: the future the caller holds, plus what its connection needs
 * to send, time out and abandon it (id, start, deadline, the queued frame).
 *
 * <p>Created and registered by the caller's thread; completed by the connection's receiver thread
 * (response), the client's timer or the waiting caller (deadline), or whichever thread closes the
 * connection. Those paths take the call out of the connection's table first and then complete it
 * through {@link #succeed} / {@link #fail}. Any other completion of the future (the user's
 * {@code complete}, {@code completeExceptionally}, {@code cancel}, {@code obtrude...}, and so
 * {@code orTimeout} and {@code completeOnTimeout}) takes the call out of the table itself, so no
 * entry outlives its future. Stages attached with the non-async {@code then...} methods may run on
 * the receiver thread: keep them short.
 *
 * <p>Resending: until its request is handed to a socket, a call may be moved to a new connection
 * when the server closes its connection (see {@link Connection#closeResending}). Whoever writes a
 * request first {@linkplain #claimSend claims} it; a closing connection {@linkplain #divert
 * diverts} the calls nobody claimed. One CAS decides between the two, so a diverted request is
 * never written to the old socket and a claimed one is never sent twice. The diverted call stays
 * the caller's future: the client sends a fresh call with the same id and request on a new
 * connection and {@linkplain #forwardTo forwards} its outcome to this one.
 */
final class PendingCall extends CompletableFuture<ByteBuffer> {
  private static final int UNSENT = 0;
  private static final int CLAIMED = 1;
  private static final int DIVERTED = 2;
  private static final AtomicIntegerFieldUpdater<PendingCall> SEND_STATE =
      AtomicIntegerFieldUpdater.newUpdater(PendingCall.class, "sendState");

  private final int id;
  private final Connection connection;
  private final long startNanos;
  private final long timeoutNanos;
  private volatile int sendState = UNSENT;
  /** The call this one was resent as, once diverted; it completes this one. */
  private volatile PendingCall forwardedTo;

  // The request, kept until it is claimed for writing so that a diverted call can be encoded
  // again; written by the registering caller before the call is published (pending table, send
  // queue), cleared by the claiming writer.
  private RpcKind kind;
  private RpcPayload payload;
  private int retryCount;
  private HeaderFields extra;
  /** Connections this call has been registered on, 1 for a call never resent. */
  private int attempt = 1;

  /**
   * The encoded request while it waits in the send queue; set before it is queued, cleared by the
   * writer that takes it. Null for a request its caller wrote directly.
   */
  byte[] frame;

  /**
   * The write generation in which the request went into the socket stream; 0 until then. Written
   * by the holder of the connection's writing flag before it publishes that generation as flushed
   * (see {@link Sender#written}).
   */
  long writtenGeneration;

  /**
   * @param startNanos the client's ticker reading when the call began (its deadline counts from it)
   * @param timeoutNanos how long the call may take in all; 0 = no deadline
   */
  PendingCall(int id, Connection connection, long startNanos, long timeoutNanos) {
    this.id = id;
    this.connection = connection;
    this.startNanos = startNanos;
    this.timeoutNanos = timeoutNanos;
  }

  int id() {
    return id;
  }

  /** Keeps the request for a possible resend (the registering thread, before publishing). */
  void request(RpcKind kind, RpcPayload payload, int retryCount, HeaderFields extra,
      int attempt) {
    this.kind = kind;
    this.payload = payload;
    this.retryCount = retryCount;
    this.extra = extra;
    this.attempt = attempt;
  }

  RpcKind kind() {
    return kind;
  }

  RpcPayload payload() {
    return payload;
  }

  int retryCount() {
    return retryCount;
  }

  HeaderFields extra() {
    return extra;
  }

  int attempt() {
    return attempt;
  }

  /**
   * The writer is about to hand this call's request to the socket: true when it may (nobody
   * diverted the call). The request is dropped then: a claimed call is never resent.
   */
  boolean claimSend() {
    if (sendState != UNSENT || !SEND_STATE.compareAndSet(this, UNSENT, CLAIMED)) {
      return false;
    }
    payload = null;
    extra = null;
    return true;
  }

  /**
   * A closing connection takes this call for a resend: true when no writer claimed it, which
   * means no byte of its request reached the socket, and none ever will from this connection.
   * False too for a call whose request was not kept (no resend possible).
   */
  boolean divert() {
    return kind != null && SEND_STATE.compareAndSet(this, UNSENT, DIVERTED);
  }

  /** This diverted call's outcome is {@code resent}'s from now on. */
  void forwardTo(PendingCall resent) {
    forwardedTo = resent;
    resent.whenComplete((response, failure) -> {
      if (failure != null) {
        fail(failure);
      } else {
        succeed(response);
      }
    });
  }

  /** The call that now carries this one's request: itself, or the last one it was resent as. */
  PendingCall current() {
    PendingCall call = this;
    PendingCall next;
    while ((next = call.forwardedTo) != null) {
      call = next;
    }
    return call;
  }

  Connection connection() {
    return connection;
  }

  long startNanos() {
    return startNanos;
  }

  long timeoutNanos() {
    return timeoutNanos;
  }

  boolean hasDeadline() {
    return timeoutNanos > 0;
  }

  /** Meaningful only with {@link #hasDeadline()}. */
  long deadlineNanos() {
    return startNanos + timeoutNanos;
  }

  /** Completes a call already taken out of its connection's table. */
  void succeed(ByteBuffer response) {
    super.complete(response);
  }

  /** Fails a call already taken out of its connection's table. */
  void fail(Throwable failure) {
    super.completeExceptionally(failure);
  }

  /**
   * Takes the call out of its connection's table: a late response is then dropped.
   *
   * @return true when the call was still pending
   */
  boolean abandon() {
    boolean removed = connection != null && connection.abandon(this);
    PendingCall next = forwardedTo;
    return next != null ? next.abandon() || removed : removed;
  }

  // Each completion from outside leaves the connection's table before it completes the future,
  // so whoever sees the future done (a get() returning, a dependent stage) also sees no entry.
  // When the call was already done, the removal finds nothing: harmless.

  @Override
  public boolean complete(ByteBuffer value) {
    abandon();
    return super.complete(value);
  }

  @Override
  public boolean completeExceptionally(Throwable ex) {
    abandon();
    return super.completeExceptionally(ex);
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    abandon();
    return super.cancel(mayInterruptIfRunning);
  }

  @Override
  public void obtrudeValue(ByteBuffer value) {
    abandon();
    super.obtrudeValue(value);
  }

  @Override
  public void obtrudeException(Throwable ex) {
    abandon();
    super.obtrudeException(ex);
  }

  /** The JDK's version completes through internals this class cannot see; go through ours. */
  @Override
  public CompletableFuture<ByteBuffer> completeAsync(Supplier<? extends ByteBuffer> supplier,
      Executor executor) {
    Objects.requireNonNull(supplier, "supplier");
    Objects.requireNonNull(executor, "executor");
    executor.execute(() -> {
      try {
        complete(supplier.get());
      } catch (Throwable t) {
        completeExceptionally(t);
      }
    });
    return this;
  }

  @Override
  public String toString() {
    return "call #" + id + (connection == null ? "" : " to " + connection.address());
  }
}

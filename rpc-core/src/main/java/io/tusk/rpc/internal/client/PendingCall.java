package io.tusk.rpc.internal.client;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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
 */
final class PendingCall extends CompletableFuture<ByteBuffer> {
  private final int id;
  private final Connection connection;
  private final long startNanos;
  private final long timeoutNanos;

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
    return connection != null && connection.abandon(this);
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

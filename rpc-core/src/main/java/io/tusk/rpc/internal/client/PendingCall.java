package io.tusk.rpc.internal.client;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One call waiting for its response: the future the caller holds, plus the id and connection it
 * needs to be abandoned (timeout, interrupt, cancel).
 *
 * <p>Created and registered by the caller's thread, completed by the connection's receiver thread
 * (or by whichever thread closes the connection). Stages attached with the non-async
 * {@code then...} methods may therefore run on the receiver thread: keep them short.
 */
final class PendingCall extends CompletableFuture<ByteBuffer> {
  private final int id;
  private final Connection connection;

  PendingCall(int id, Connection connection) {
    this.id = id;
    this.connection = connection;
  }

  int id() {
    return id;
  }

  Connection connection() {
    return connection;
  }

  /**
   * Stops waiting for the response: a late response is then dropped.
   *
   * @return true when the call was still pending, false when it was completed meanwhile
   */
  boolean abandon() {
    return connection.abandon(this);
  }

  /** Cancelling also removes the call from its connection, so nothing pending leaks. */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      abandon();
    }
    return cancelled;
  }

  @Override
  public String toString() {
    return "call #" + id + " to " + connection.address();
  }
}

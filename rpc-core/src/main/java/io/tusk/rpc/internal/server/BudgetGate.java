package io.tusk.rpc.internal.server;

import io.tusk.rpc.wire.ByteBudget;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides whether a reader may read more from a connection while request bytes are buffered.
 *
 * <p>Below the limit of the server-wide {@link ByteBudget} everybody reads. At the limit, readers
 * stop reading connections; but if every buffered byte belongs to partial frames, nothing would ever
 * free the budget, so one connection at a time holds the <em>overdraw token</em> and may finish the
 * frame it has started. The token passes on when that frame completes, when its holder closes, or
 * when its holder has sent nothing for {@link #STALL_NANOS} (a peer that stalls on purpose cannot
 * keep it). Memory is then bounded by the limit plus one frame ({@code ipc.maximum.data.length}).
 *
 * <p>Thread-safe: shared by all reader threads of one server.
 */
final class BudgetGate {
  /** A token holder that received nothing for this long loses the token to whoever asks. */
  static final long STALL_NANOS = 200_000_000L;

  private final ByteBudget budget;
  private final AtomicReference<Connection> overdraw = new AtomicReference<>();

  BudgetGate(ByteBudget budget) {
    this.budget = budget;
  }

  ByteBudget budget() {
    return budget;
  }

  /**
   * True when {@code connection} may read now.
   *
   * @param hasPartialFrame whether the connection is in the middle of a frame
   */
  boolean mayRead(Connection connection, boolean hasPartialFrame, long nowNanos) {
    if (!budget.isExhausted()) {
      return true;
    }
    if (!hasPartialFrame) {
      return false;
    }
    Connection holder = overdraw.get();
    if (holder == connection) {
      return true;
    }
    if (holder == null || holder.isClosed()
        || nowNanos - holder.lastReadNanos() > STALL_NANOS) {
      return overdraw.compareAndSet(holder, connection);
    }
    return false;
  }

  /** {@code connection} completed a frame or closed: it no longer needs the token. */
  void done(Connection connection) {
    overdraw.compareAndSet(connection, null);
  }
}

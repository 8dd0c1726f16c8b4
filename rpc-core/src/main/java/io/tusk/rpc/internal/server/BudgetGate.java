package io.tusk.rpc.internal.server;

import io.tusk.rpc.wire.ByteBudget;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides whether a reader may read more from a connection while request bytes are buffered.
 *
 * <p>Below the limit of the server-wide {@link ByteBudget} everybody reads. At the limit, readers
 * stop reading connections. Bytes held by queued or running calls free themselves when the calls
 * finish; but bytes held by partial frames never would, so when partial frames hold at least half
 * of the budget, one connection at a time gets the <em>overdraw token</em> and may finish the frame
 * it has started. The token passes on when that frame completes, when its holder closes, or when
 * its holder has sent nothing for {@link #STALL_NANOS} (a peer that stalls on purpose cannot keep
 * it). Memory stays below about 1.5 x the limit plus one frame ({@code ipc.maximum.data.length}).
 *
 * <p>Thread-safe: shared by all reader threads of one server.
 */
final class BudgetGate {
  /** A token holder that received nothing for this long loses the token to whoever asks. */
  static final long STALL_NANOS = 200_000_000L;

  /**
   * What the gate needs to know of a connection that may hold the token ({@link Connection} in
   * the server; a plain object in a unit test).
   */
  interface Holder {
    /** True once the connection is closed: its token is free. */
    boolean isClosed();

    /** The server ticker's reading when bytes last arrived from it. */
    long lastReadNanos();
  }

  private final ByteBudget budget;
  private final AtomicReference<Holder> overdraw = new AtomicReference<>();
  private final AtomicLong heldByCalls = new AtomicLong();

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
  boolean mayRead(Holder connection, boolean hasPartialFrame, long nowNanos) {
    if (!budget.isExhausted()) {
      return true;
    }
    if (!hasPartialFrame) {
      return false;
    }
    Holder holder = overdraw.get();
    if (holder == connection) {
      return true;
    }
    if (heldByCalls.get() >= budget.limit() / 2) {
      return false; // calls hold the budget: it frees itself as they finish
    }
    if (holder == null || holder.isClosed()
        || nowNanos - holder.lastReadNanos() > STALL_NANOS) {
      return overdraw.compareAndSet(holder, connection);
    }
    return false;
  }

  /** A frame's charge now belongs to a queued call. */
  void callQueued(int chargedBytes) {
    heldByCalls.addAndGet(chargedBytes);
  }

  /** A call's charge went back to the budget. */
  void callFinished(int chargedBytes) {
    heldByCalls.addAndGet(-chargedBytes);
  }

  /** {@code connection} completed a frame or closed: it no longer needs the token. */
  void done(Holder connection) {
    overdraw.compareAndSet(connection, null);
  }
}

package io.tusk.rpc.internal.server;

import io.tusk.rpc.server.ServerOptions;
import java.util.function.IntSupplier;

/**
 * The server-wide part of Hadoop's idle-connection scan: scan rounds on the server's ticker, the
 * open-connection threshold and the per-round close quota ({@code ipc.client.kill.max}).
 *
 * <p>Hadoop runs one timer thread that walks every connection. Tusk has no such thread: each
 * {@link Reader} already visits its own connections a few times a second for their deadlines, and
 * once per round ({@link #round}) that visit also looks for idle ones. The decision that a
 * connection is idle (no call in progress, nothing queued, no partial frame) is taken on the
 * connection's own reader thread, the only thread that can start a call on it, so a connection is
 * never closed while a call of it runs. Only a close takes from the quota ({@link #closeIfAllowed}), so a
 * round costs one synchronized step per connection actually closed, however many are open; below
 * the threshold a round costs one read of the connection count per reader.
 *
 * <p>Thread-safe: shared by all readers of one server.
 */
final class IdleCloser {
  /** A reader pass that does not look for idle connections. */
  static final long NO_ROUND = Long.MIN_VALUE;

  private final int threshold;
  private final long idleNanos;
  private final long intervalNanos;
  private final int killMax;
  private final long originNanos;
  private final IntSupplier openConnections;

  /** Guarded by this: the round the quota belongs to, and how much of it is spent. */
  private long quotaRound = NO_ROUND;
  private int closedInRound;

  /**
   * @param originNanos the ticker's reading when the server was built: round 0 starts there, so
   *     the first scan comes one interval later, as Hadoop's first timer task does
   * @param openConnections the server's open connections, set up or not (Hadoop counts all)
   */
  IdleCloser(ServerOptions.IdleScan scan, long originNanos, IntSupplier openConnections) {
    this.threshold = scan.threshold();
    this.idleNanos = scan.idleTime().toNanos();
    this.intervalNanos = scan.scanInterval().toNanos();
    this.killMax = scan.killMax();
    this.originNanos = originNanos;
    this.openConnections = openConnections;
  }

  /** The scan round at ticker reading {@code now}: a new one every scan interval. */
  long round(long now) {
    return Math.floorDiv(now - originNanos, intervalNanos);
  }

  /** Whether a scan would close anything now: at least the threshold of connections are open. */
  boolean aboveThreshold() {
    return openConnections.getAsInt() >= threshold;
  }

  /** Whether a connection last active at {@code lastActivity} has been idle long enough. */
  boolean idleLongEnough(long now, long lastActivity) {
    return now - lastActivity > idleNanos;
  }

  /**
   * Closes one idle connection in {@code round} unless the round's quota is spent or fewer than
   * the threshold of connections are open (Hadoop stops its scan at either). The close runs under
   * this object's lock, so that two readers cannot both see the count at the threshold and both
   * close (Hadoop's scan is one synchronized loop for the same reason).
   *
   * @return true when {@code close} ran
   */
  synchronized boolean closeIfAllowed(long round, Runnable close) {
    if (round < quotaRound) {
      return false; // a reader whose pass began before the round turned: its next pass counts
    }
    if (!aboveThreshold()) {
      return false;
    }
    if (round != quotaRound) {
      quotaRound = round;
      closedInRound = 0;
    }
    if (killMax > 0 && closedInRound >= killMax) {
      return false;
    }
    closedInRound++;
    close.run();
    return true;
  }

  /** For log lines: the threshold. */
  int threshold() {
    return threshold;
  }

  /** The scan interval, for the readers' check period. */
  long intervalNanos() {
    return intervalNanos;
  }
}

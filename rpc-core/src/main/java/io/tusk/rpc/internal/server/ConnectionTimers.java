package io.tusk.rpc.internal.server;

import io.tusk.rpc.server.ServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clocks and deadlines of one {@link Connection}: when it opened, last read bytes and was last
 * active, and the periodic check that closes it when its responses stall, its setup takes too
 * long, it stalls in the middle of a request, or (as Hadoop's server decides) it is idle.
 *
 * <ul>
 *   <li>Write stall, in every state: queued responses of which nothing was written for
 *       {@link ServerOptions#writeStallTimeout()}.
 *   <li>Setup: preamble and connection context not received within
 *       {@link ServerOptions#setupTimeout()} of the accept. A connection that did not finish setup
 *       is never closed as idle: this deadline is stricter.
 *   <li>Frame stall, once set up: part of a request frame received and nothing more for
 *       {@link ServerOptions#idleTimeout()} (a hostile-peer limit: the partial frame holds
 *       request-buffer memory no call will free; Hadoop has no such limit).
 *   <li>Idle, once set up, Hadoop's rules ({@link ServerOptions.IdleScan}, {@link IdleCloser}):
 *       in a scan round, while enough connections are open, a connection not paused, with no
 *       call in progress, no response queued and no partial frame, on which nothing was read,
 *       written or finished for longer than the idle time, is closed, within the round's quota.
 * </ul>
 *
 * <p>Every reading comes from the server's {@link io.tusk.rpc.Ticker}. Threads: the stamps are
 * volatile (the reader writes them, a handler's {@link Connection#callFinished} too, the budget
 * gate reads them); {@link #check} runs on the connection's reader thread, the only thread that
 * starts calls of this connection, so "no call in progress" cannot change during the check.
 */
final class ConnectionTimers {
  /** Logs as {@link Connection}: one logger name for everything about a connection. */
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  private final Connection connection;
  private final ResponseQueue responses;
  private final IdleCloser idle;
  private final long openedNanos;
  private final long stallLimit;
  private final long setupLimit;
  private final long frameStallLimit;
  private volatile long lastReadNanos;
  private volatile long lastActivityNanos;

  ConnectionTimers(Connection connection, ResponseQueue responses, ServerOptions options,
      IdleCloser idle, long openedNanos) {
    this.connection = connection;
    this.responses = responses;
    this.idle = idle;
    this.openedNanos = openedNanos;
    this.stallLimit = options.writeStallTimeout().toNanos();
    this.setupLimit = options.setupTimeout().toNanos();
    this.frameStallLimit = options.idleTimeout().toNanos();
    this.lastReadNanos = openedNanos;
    this.lastActivityNanos = openedNanos;
  }

  /** Bytes arrived at {@code now}. Reader thread. */
  void read(long now) {
    lastReadNanos = now;
    lastActivityNanos = now;
  }

  /** Something other than reading counts as activity (a call ended, a pause lifted). */
  void activity(long now) {
    lastActivityNanos = now;
  }

  long lastReadNanos() {
    return lastReadNanos;
  }

  /**
   * Periodic check on the reader thread: write stall, setup deadline, frame stall, and, when
   * {@code idleRound} is a scan round ({@link IdleCloser#NO_ROUND} otherwise), idleness.
   */
  void check(long now, ConnectionReader in, long idleRound) {
    if (connection.isClosed()) {
      return;
    }
    long stalled = responses.stalledNanos(now);
    if (stalled > stallLimit) {
      // In any state, whatever the peer keeps sending: a peer that takes none of its responses
      // for this long is not a client any more, and its queued bytes are the server's memory.
      LOG.warn("closing {}: {} bytes of responses queued and none written for {} ms", connection,
          responses.queuedBytes(), stallLimit / 1_000_000);
      in.closeNow();
      return;
    }
    if (connection.stopRequested() && !in.isClosing()) {
      in.stopReading();
    }
    if (in.isClosing()) {
      return;
    }
    if (!in.isSetUp()) {
      if (now - openedNanos > setupLimit) {
        LOG.warn("closing {}: {} not received within {} ms", connection, in.missingSetupStep(),
            setupLimit / 1_000_000);
        in.closeNow();
      }
      return;
    }
    if (in.isPaused()) {
      return; // the pause is the server's doing; its lifting counts as activity
    }
    if (in.hasPartialFrame()) {
      if (now - lastActivityNanos > frameStallLimit) {
        LOG.warn("closing {}: stalled in the middle of a frame for {} ms ({} bytes buffered)",
            connection, frameStallLimit / 1_000_000, in.bufferedBytes());
        in.closeNow();
      }
      return; // a request is arriving: not idle
    }
    if (idleRound == IdleCloser.NO_ROUND || connection.callsInFlight() > 0
        || connection.hasQueuedResponses()) {
      return;
    }
    long lastActivity = Math.max(lastActivityNanos, responses.lastWriteNanos());
    if (!idle.idleLongEnough(now, lastActivity)) {
      return;
    }
    idle.closeIfAllowed(idleRound, () -> {
      LOG.debug("closing {}: idle for {} ms, at least {} connections open", connection,
          (now - lastActivity) / 1_000_000, idle.threshold());
      in.closeNow();
    });
  }
}

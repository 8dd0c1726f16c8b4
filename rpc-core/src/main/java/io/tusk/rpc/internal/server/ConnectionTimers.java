package io.tusk.rpc.internal.server;

import io.tusk.rpc.server.ServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clocks and deadlines of one {@link Connection}: when it opened, last sent bytes and was
 * last active, and the periodic check that closes it when its responses stall, its setup takes too
 * long or it has been idle.
 *
 * <ul>
 *   <li>Write stall, in every state: queued responses of which nothing was written for
 *       {@link ServerOptions#writeStallTimeout()}.
 *   <li>Setup: preamble and connection context not received within
 *       {@link ServerOptions#setupTimeout()} of the accept.
 *   <li>Idle: set up, not paused, no call in flight, and no byte read or written for
 *       {@link ServerOptions#idleTimeout()}.
 * </ul>
 *
 * <p>Every reading comes from the server's {@link io.tusk.rpc.Ticker}. Threads: the stamps are
 * volatile (the reader writes them, a handler's {@link Connection#callFinished} too, the budget
 * gate reads them); {@link #check} runs on the connection's reader thread.
 */
final class ConnectionTimers {
  /** Logs as {@link Connection}: one logger name for everything about a connection. */
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  private final Connection connection;
  private final ResponseQueue responses;
  private final long openedNanos;
  private final long stallLimit;
  private final long setupLimit;
  private final long idleLimit;
  private volatile long lastReadNanos;
  private volatile long lastActivityNanos;

  ConnectionTimers(Connection connection, ResponseQueue responses, ServerOptions options,
      long openedNanos) {
    this.connection = connection;
    this.responses = responses;
    this.openedNanos = openedNanos;
    this.stallLimit = options.writeStallTimeout().toNanos();
    this.setupLimit = options.setupTimeout().toNanos();
    this.idleLimit = options.idleTimeout().toNanos();
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

  /** Periodic check on the reader thread: write stall, setup deadline and idle timeout. */
  void check(long now, ConnectionReader in) {
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
    if (in.isPaused() || connection.callsInFlight() > 0) {
      return;
    }
    long lastActivity = Math.max(lastActivityNanos, responses.lastWriteNanos());
    if (now - lastActivity <= idleLimit) {
      return;
    }
    if (in.hasPartialFrame()) {
      LOG.warn("closing {}: stalled in the middle of a frame for {} ms ({} bytes buffered)",
          connection, idleLimit / 1_000_000, in.bufferedBytes());
    } else if (connection.hasQueuedResponses()) {
      LOG.warn("closing {}: not reading its responses for {} ms", connection,
          idleLimit / 1_000_000);
    } else {
      LOG.debug("closing {}: idle for {} ms", connection, idleLimit / 1_000_000);
    }
    in.closeNow();
  }
}

package io.tusk.rpc.internal.client;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of a client's timer thread ({@code <name>-timer}): every {@link #TICK_MS} it hands the
 * time to each connection ({@link Connection#tick}), which fails calls past their deadline, closes
 * dead or stuck connections, pings and closes idle ones. One thread per client, whatever the
 * number of calls: a call costs the timer nothing but a deadline stamped on it, so deadlines need
 * no per-call timer task or lock. While the client has no connection the thread sleeps until one
 * is made.
 *
 * <p>A failure in one connection's visit is logged and does not stop the thread.
 */
final class ClientTimer implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ClientTimer.class);

  /** How often connections are visited; deadlines fire at most this late. */
  static final long TICK_MS = 20;

  /**
   * A caller past its deadline still holding the writing flag, with no byte written for this long,
   * is stuck in a write: its connection is closed.
   */
  static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(5 * TICK_MS);

  private final ClientRuntime client;
  private final Object lock = new Object();
  private boolean stopped;

  ClientTimer(ClientRuntime client) {
    this.client = client;
  }

  /** A connection was added: wake up if sleeping for want of one. */
  void connectionAdded() {
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  void stop() {
    synchronized (lock) {
      stopped = true;
      lock.notifyAll();
    }
  }

  @Override
  public void run() {
    try {
      while (true) {
        synchronized (lock) {
          if (stopped) {
            return;
          }
          // The check and the wait are atomic under the lock, and connectionAdded() notifies
          // under it after the connection is in the table: no wake-up is lost.
          if (client.hasConnections()) {
            lock.wait(TICK_MS);
          } else {
            lock.wait();
          }
          if (stopped) {
            return;
          }
        }
        visitAll();
      }
    } catch (InterruptedException e) {
      LOG.debug("Timer of {} interrupted; it ends", client.name());
    }
  }

  private void visitAll() {
    // Woken on real time (TICK_MS); the deadlines compare against the client's ticker.
    long now = client.ticker().nanoTime();
    for (Connection connection : client.connections()) {
      try {
        connection.tick(now);
      } catch (RuntimeException | Error e) {
        LOG.warn("Timer of {}: visiting {} failed", client.name(), connection, e);
      }
    }
  }
}

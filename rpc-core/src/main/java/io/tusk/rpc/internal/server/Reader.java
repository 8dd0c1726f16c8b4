package io.tusk.rpc.internal.server;

import io.tusk.rpc.wire.FrameEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reader thread: one selector, one reusable 64 KiB read buffer, and the read side of every
 * connection the listener gave it.
 *
 * <p>Threads: the listener hands connections over through {@link #add} (a queue plus
 * {@code wakeup()}); any thread reports a closed connection through {@link #connectionClosed}. All
 * else (the selector, the buffer, the set of connections, the paused list, each connection's read
 * state) belongs to this reader's thread. Besides reading, it pauses connections while the request
 * budget is exhausted or their responses pile up, resumes them when that passes, and checks write
 * stalls, setup deadlines, frame stalls and, once per idle-scan round, Hadoop's idle rule.
 *
 * <p>Failures: whatever reading one connection throws ({@link Error}s included) closes that
 * connection only; the thread goes on. Only a broken selector ends it early: then the server is
 * marked failed and the listener stops handing connections to this reader ({@link #isAlive()}).
 */
final class Reader implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Reader.class);

  static final int READ_BUFFER_SIZE = 64 * 1024;
  /** How often paused connections are re-checked while the budget is exhausted. */
  private static final long PAUSED_POLL_MILLIS = 5;

  private final ServerRuntime runtime;
  /** Package-private so that a test can break it and watch the reader's death being handled. */
  final Selector selector;
  private final ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER_SIZE);
  private final FrameEncoder encoder = new FrameEncoder();
  private final Queue<Connection> added = new ConcurrentLinkedQueue<>();
  private final Queue<Connection> closed = new ConcurrentLinkedQueue<>();
  private final Set<Connection> connections = new HashSet<>();
  private final List<Connection> paused = new ArrayList<>();
  /** {@code paused.size()}, published for {@link ServerRuntime#pausedConnections()}. */
  private volatile int pausedCount;
  private final long checkMillis;
  private volatile boolean alive = true;

  Reader(ServerRuntime runtime) throws IOException {
    this.runtime = runtime;
    this.selector = Selector.open();
    long shortest = Math.min(runtime.options().setupTimeout().toMillis(),
        Math.min(runtime.options().idleTimeout().toMillis(),
            runtime.idleCloser().intervalNanos() / 1_000_000));
    this.checkMillis = Math.max(5, Math.min(500, shortest / 4));
  }

  /** Hands a new connection to this reader. Listener thread. */
  void add(Connection connection) {
    added.add(connection);
    selector.wakeup();
  }

  /** Reports a closed connection so this thread drops its read state. Any thread. */
  void connectionClosed(Connection connection) {
    closed.add(connection);
    selector.wakeup();
  }

  /** A start that failed before this reader's thread ran: closes its selector. */
  void closeUnstarted() {
    try {
      selector.close();
    } catch (IOException e) {
      LOG.debug("closing selector: {}", e.toString());
    }
  }

  /** Wakes the thread, e.g. to notice shutdown. */
  void wakeup() {
    selector.wakeup();
  }

  /** False once this reader's thread has ended (or is ending); the listener skips it. */
  boolean isAlive() {
    return alive;
  }

  /** A connection this reader paused. Reader thread. */
  void paused(Connection connection) {
    paused.add(connection);
    pausedCount = paused.size();
  }

  /** Connections this reader holds paused now; any thread. */
  int pausedCount() {
    return pausedCount;
  }

  /** The encoder for answers the reader gives itself (FATAL, call queue full). Reader thread. */
  FrameEncoder encoder() {
    return encoder;
  }

  @Override
  public void run() {
    // The scan runs on real time (the select timeout); the deadlines it checks read the ticker.
    long lastCheck = System.nanoTime();
    IdleCloser idle = runtime.idleCloser();
    // Round 0 begins when the server is built: the first idle scan comes one interval later.
    long lastIdleRound = 0;
    try {
      while (!runtime.isStopping()) {
        registerAdded();
        selector.select(paused.isEmpty() ? checkMillis : PAUSED_POLL_MILLIS);
        long now = runtime.ticker().nanoTime();
        long real = System.nanoTime();
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          read((Connection) key.attachment(), key, now);
        }
        dropClosed();
        resumePaused(now);
        if (real - lastCheck >= checkMillis * 1_000_000L) {
          lastCheck = real;
          // Once per scan round this pass also closes idle connections, and only while enough
          // connections are open (checked again for every close, see IdleCloser.closeIfAllowed).
          long round = idle.round(now);
          long idleRound = round != lastIdleRound && idle.aboveThreshold()
              ? round : IdleCloser.NO_ROUND;
          lastIdleRound = round;
          for (Connection connection : new ArrayList<>(connections)) {
            checkTimers(connection, now, idleRound);
          }
          dropClosed();
        }
      }
    } catch (Throwable t) {
      // Only the selector itself gets here (every connection's failure is caught below).
      alive = false;
      runtime.roleFailed(Thread.currentThread().getName(), t);
      for (Connection connection : new ArrayList<>(connections)) {
        connection.close();
      }
    } finally {
      alive = false;
      Connection orphan;
      while ((orphan = added.poll()) != null) {
        orphan.close(); // handed over, never read: nobody else would close it
      }
      dropClosed();
      // Stop reading; the connections stay open so handlers can still answer queued calls.
      for (Connection connection : connections) {
        connection.releaseReadState();
      }
      try {
        selector.close();
      } catch (IOException e) {
        LOG.debug("closing selector: {}", e.toString());
      }
      runtime.readerExited();
    }
  }

  private void read(Connection connection, SelectionKey key, long now) {
    try {
      if (key.isValid() && key.isReadable()) {
        connection.onReadable(buffer, now);
      }
    } catch (CancelledKeyException e) {
      connection.close();
    } catch (Throwable t) {
      failed(connection, t);
    }
  }

  private static void checkTimers(Connection connection, long now, long idleRound) {
    try {
      connection.checkTimers(now, idleRound);
    } catch (Throwable t) {
      failed(connection, t);
    }
  }

  /** Something unexpected came out of one connection: it alone pays. */
  private static void failed(Connection connection, Throwable t) {
    try {
      connection.readFailed(t);
    } catch (Throwable again) {
      connection.close();
    }
  }

  private void registerAdded() {
    Connection connection;
    while ((connection = added.poll()) != null) {
      try {
        connection.register(selector);
        connections.add(connection);
      } catch (ClosedChannelException | CancelledKeyException e) {
        connection.close();
      }
    }
  }

  private void dropClosed() {
    Connection connection;
    while ((connection = closed.poll()) != null) {
      if (connections.remove(connection)) {
        connection.releaseReadState();
      }
    }
  }

  private void resumePaused(long now) {
    if (paused.isEmpty()) {
      return;
    }
    paused.removeIf(connection -> connection.tryResume(now));
    pausedCount = paused.size();
  }
}

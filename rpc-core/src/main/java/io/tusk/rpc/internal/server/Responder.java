package io.tusk.rpc.internal.server;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The responder thread: finishes responses that did not fit into the socket when a handler wrote
 * them, watching OP_WRITE with its own selector. During shutdown it is the last thread standing: it
 * drives {@link ServerRuntime#shutdownStep()} until every connection is closed.
 *
 * <p>Threads: handlers and readers ask for attention through {@link #wantWrite} (a queue plus
 * {@code wakeup()}); the selector and every connection's {@code writeKey} belong to this thread.
 * Whatever writing one connection throws closes that connection only; if the loop ends outside
 * shutdown, the server is marked failed.
 */
final class Responder implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Responder.class);

  private final ServerRuntime runtime;
  private final Selector selector;
  private final Queue<Connection> wanting = new ConcurrentLinkedQueue<>();

  Responder(ServerRuntime runtime) throws IOException {
    this.runtime = runtime;
    this.selector = Selector.open();
  }

  /** {@code connection} has queued responses. Any thread. */
  void wantWrite(Connection connection) {
    wanting.add(connection);
    selector.wakeup();
  }

  void wakeup() {
    selector.wakeup();
  }

  /** A start that failed before this thread ran: closes its selector. */
  void closeUnstarted() {
    try {
      selector.close();
    } catch (IOException e) {
      LOG.debug("closing selector: {}", e.toString());
    }
  }

  /** Whether the selector is open (for the failed-start test). */
  boolean isSelectorOpen() {
    return selector.isOpen();
  }

  @Override
  public void run() {
    try {
      while (true) {
        registerWanting();
        selector.select(runtime.isStopping() ? 10 : 1000);
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          flush((Connection) key.attachment(), key);
        }
        if (runtime.isStopping() && runtime.shutdownStep()) {
          break;
        }
      }
    } catch (Throwable t) {
      // Only the selector or the shutdown step gets here; connections' failures are caught below.
      runtime.roleFailed(Thread.currentThread().getName(), t);
    } finally {
      runtime.closeAllConnections();
      try {
        selector.close();
      } catch (IOException e) {
        LOG.debug("closing selector: {}", e.toString());
      }
    }
  }

  private static void flush(Connection connection, SelectionKey key) {
    try {
      if (key.isValid() && key.isWritable() && connection.flushQueued()) {
        key.interestOps(0);
      }
    } catch (CancelledKeyException e) {
      connection.close();
    } catch (Throwable t) {
      LOG.error("closing {}: writing its responses failed with {}", connection, t.toString(), t);
      connection.close();
    }
  }

  private void registerWanting() {
    Connection connection;
    while ((connection = wanting.poll()) != null) {
      if (connection.isClosed()) {
        continue;
      }
      try {
        if (connection.writeKey == null || !connection.writeKey.isValid()) {
          connection.writeKey = connection.channel().register(selector, SelectionKey.OP_WRITE,
              connection);
        } else {
          connection.writeKey.interestOps(SelectionKey.OP_WRITE);
        }
      } catch (ClosedChannelException | CancelledKeyException e) {
        connection.close();
      } catch (RuntimeException | Error e) {
        LOG.error("closing {}: cannot watch it for writing: {}", connection, e.toString(), e);
        connection.close();
      }
    }
  }
}

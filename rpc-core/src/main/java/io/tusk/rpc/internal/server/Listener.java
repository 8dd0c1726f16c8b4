package io.tusk.rpc.internal.server;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acceptor thread: blocking {@code accept()} on the server socket, handing every new socket to
 * the runtime (which enforces the connection limit and picks a reader round-robin).
 *
 * <p>Threads: owns nothing but its loop; closing the server socket from another thread ends it.
 */
final class Listener implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

  private final ServerRuntime runtime;
  private final ServerSocketChannel serverChannel;

  Listener(ServerRuntime runtime, ServerSocketChannel serverChannel) {
    this.runtime = runtime;
    this.serverChannel = serverChannel;
  }

  @Override
  public void run() {
    try {
      while (serverChannel.isOpen()) {
        SocketChannel channel;
        try {
          channel = serverChannel.accept();
        } catch (ClosedChannelException e) {
          break;
        } catch (IOException e) {
          if (!serverChannel.isOpen()) {
            break;
          }
          // e.g. too many open files: back off instead of spinning
          LOG.warn("accept failed on {}: {}", Thread.currentThread().getName(), e.toString());
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
          continue;
        }
        runtime.accepted(channel);
      }
    } catch (Throwable t) {
      LOG.error("{} failed; no new connections are accepted", Thread.currentThread().getName(), t);
    } finally {
      close();
    }
  }

  /** Stops accepting. Any thread; idempotent. */
  void close() {
    try {
      serverChannel.close();
    } catch (IOException e) {
      LOG.debug("closing server socket: {}", e.toString());
    }
  }
}

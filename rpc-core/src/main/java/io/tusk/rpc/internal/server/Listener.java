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
 * Whatever handing one socket over throws closes that socket only; if the loop ends any other way
 * than by that close, the server is marked failed.
 */
final class Listener implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

  private static final long BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

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
          LockSupport.parkNanos(BACKOFF_NANOS);
          continue;
        }
        try {
          runtime.accepted(channel);
        } catch (Throwable t) {
          // One connection's trouble (even an Error) must not end accepting for everyone.
          LOG.error("dropping a new connection on {}: {}", Thread.currentThread().getName(),
              t.toString(), t);
          closeQuietly(channel);
          LockSupport.parkNanos(BACKOFF_NANOS);
        }
      }
    } catch (Throwable t) {
      runtime.roleFailed(Thread.currentThread().getName(), t);
    } finally {
      close();
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (Throwable ignored) {
      // already failing
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

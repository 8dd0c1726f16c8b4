package io.tusk.rpc.internal.server;

import io.tusk.rpc.wire.ByteBudget;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * The write side of one connection: response frames in the order they were produced.
 *
 * <p>A frame is written straight into the socket when nothing is queued ahead of it; whatever the
 * socket does not take is copied and queued for the {@link Responder}. Every method that changes
 * the queue holds its lock, so handlers, the reader and the responder may call it from their own
 * threads and responses of one connection never interleave or overtake each other.
 *
 * <p>Memory: queued bytes are charged to the server-wide response budget until they are written
 * or dropped, and {@link #queuedBytes()} (lock-free) lets the reader apply the connection's water
 * marks. Nothing here closes a connection for queueing too much; a peer that reads nothing is
 * paused by the water marks and closed by the write-stall deadline ({@link #stalledNanos}).
 *
 * <p>Writes hand the socket at most {@link #MAX_WRITE} bytes at a time: the JDK copies a heap
 * buffer into a temporary direct buffer of the same size and caches it per thread, so one huge
 * response would otherwise pin a huge native buffer in every handler that ever wrote one.
 *
 * <p>Once a closing frame (a FATAL answer) is queued, later frames are dropped: the peer is told
 * why the connection ends and nothing after that.
 */
final class ResponseQueue {
  /** Largest slice handed to one {@code write}. */
  static final int MAX_WRITE = 64 * 1024;

  /** What the caller must do next. */
  enum Outcome {
    /** Everything is written (or the frame was dropped behind a closing answer). */
    DONE,
    /** Bytes are queued: the responder must watch the socket. */
    QUEUED,
    /** Close the connection (the closing answer is out, or the write failed). */
    CLOSE
  }

  private final SocketChannel channel;
  private final ByteBudget budget;
  private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
  private volatile long queuedBytes;
  private boolean closeWhenFlushed;
  /** A closing frame was handed in (written or queued): later frames are dropped. */
  private boolean closing;
  private boolean cleared;
  private volatile long lastWriteNanos;
  /** Last time queued bytes moved, or the queue became non-empty. */
  private volatile long lastProgressNanos;
  private IOException lastFailure;

  /**
   * @param budget the server-wide response budget the queued bytes are charged to
   */
  ResponseQueue(SocketChannel channel, ByteBudget budget) {
    this.channel = channel;
    this.budget = budget;
  }

  /**
   * Writes {@code frame} or queues its unwritten rest.
   *
   * @param frame position..limit is sent; may be a reused buffer (the unsent rest is copied)
   * @param closeAfter the connection closes once this frame is out (FATAL answers)
   */
  synchronized Outcome send(ByteBuffer frame, boolean closeAfter) {
    if (closing || cleared) {
      return Outcome.DONE; // behind a closing answer, or closed: nobody will read it
    }
    closing = closeAfter;
    long now = System.nanoTime();
    if (queue.isEmpty()) {
      try {
        write(frame, now);
      } catch (IOException e) {
        lastFailure = e;
        return Outcome.CLOSE;
      }
      if (!frame.hasRemaining()) {
        return closeAfter ? Outcome.CLOSE : Outcome.DONE;
      }
      lastProgressNanos = now;
    }
    int rest = frame.remaining();
    ByteBuffer copy = ByteBuffer.allocate(rest);
    copy.put(frame).flip();
    queue.add(copy);
    budget.charge(rest);
    queuedBytes += rest;
    closeWhenFlushed = closeAfter;
    return Outcome.QUEUED;
  }

  /**
   * Writes queued frames as far as the socket takes them. Responder thread.
   *
   * @return QUEUED while bytes remain, DONE when drained, CLOSE when the connection must close
   */
  synchronized Outcome flush() {
    long now = System.nanoTime();
    try {
      while (!queue.isEmpty()) {
        ByteBuffer head = queue.peek();
        int before = head.remaining();
        write(head, now);
        int written = before - head.remaining();
        if (written > 0) {
          lastProgressNanos = now;
          if (!head.hasRemaining()) {
            queue.poll();
          }
          release(written);
        }
        if (head.hasRemaining()) {
          return Outcome.QUEUED;
        }
      }
    } catch (IOException e) {
      lastFailure = e;
      return Outcome.CLOSE;
    }
    return closeWhenFlushed ? Outcome.CLOSE : Outcome.DONE;
  }

  /** Writes in slices of at most {@link #MAX_WRITE} bytes until done or the socket is full. */
  private void write(ByteBuffer frame, long now) throws IOException {
    int limit = frame.limit();
    try {
      while (frame.hasRemaining()) {
        int offered = Math.min(frame.remaining(), MAX_WRITE);
        frame.limit(frame.position() + offered);
        int n = channel.write(frame);
        frame.limit(limit);
        if (n > 0) {
          lastWriteNanos = now;
        }
        if (n < offered) {
          return; // the socket is full
        }
      }
    } finally {
      frame.limit(limit);
    }
  }

  private void release(long bytes) {
    queuedBytes -= bytes;
    budget.release(bytes);
  }

  synchronized boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Drops everything queued (the connection closed) and returns its budget charge. */
  synchronized void clear() {
    cleared = true;
    queue.clear();
    if (queuedBytes > 0) {
      release(queuedBytes);
    }
  }

  /** Bytes queued now; lock-free, for water marks and metrics. */
  long queuedBytes() {
    return queuedBytes;
  }

  /**
   * How long queued bytes have waited without any of them being written: 0 when nothing is
   * queued. Any thread.
   */
  long stalledNanos(long now) {
    return queuedBytes == 0 ? 0 : Math.max(0, now - lastProgressNanos);
  }

  /** The write failure behind the last {@link Outcome#CLOSE}, or null. */
  synchronized IOException lastFailure() {
    return lastFailure;
  }

  /** {@link System#nanoTime()} of the last write that moved bytes (0 if none). */
  long lastWriteNanos() {
    return lastWriteNanos;
  }
}

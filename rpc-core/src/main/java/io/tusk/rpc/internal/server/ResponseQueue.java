package io.tusk.rpc.internal.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * The write side of one connection: response frames in the order they were produced.
 *
 * <p>A frame is written straight into the socket when nothing is queued ahead of it; whatever the
 * socket does not take is copied and queued for the {@link Responder}. Every method holds the
 * queue's lock, so handlers, the reader and the responder may call it from their own threads and
 * responses of one connection never interleave or overtake each other.
 */
final class ResponseQueue {
  /** What the caller must do next. */
  enum Outcome {
    /** Everything is written. */
    DONE,
    /** Bytes are queued: the responder must watch the socket. */
    QUEUED,
    /** Close the connection (written a closing answer, write failed, or the client reads nothing). */
    CLOSE
  }

  private final SocketChannel channel;
  private final long maxQueuedBytes;
  private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
  private long queuedBytes;
  private boolean closeWhenFlushed;
  private volatile long lastWriteNanos;
  private IOException lastFailure;
  private boolean overflowed;

  /**
   * @param maxQueuedBytes more than this queued (and more than one response) means the client is
   *     not reading: the connection is closed. A single larger response may always queue.
   */
  ResponseQueue(SocketChannel channel, long maxQueuedBytes) {
    this.channel = channel;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /**
   * Writes {@code frame} or queues its unwritten rest.
   *
   * @param frame position..limit is sent; may be a reused buffer (the unsent rest is copied)
   * @param closeAfter the connection closes once this frame is out (FATAL answers)
   */
  synchronized Outcome send(ByteBuffer frame, boolean closeAfter) {
    if (queue.isEmpty()) {
      try {
        if (channel.write(frame) > 0) {
          lastWriteNanos = System.nanoTime();
        }
      } catch (IOException e) {
        lastFailure = e;
        return Outcome.CLOSE;
      }
      if (!frame.hasRemaining()) {
        return closeAfter ? Outcome.CLOSE : Outcome.DONE;
      }
    }
    ByteBuffer copy = ByteBuffer.allocate(frame.remaining());
    copy.put(frame).flip();
    queue.add(copy);
    queuedBytes += copy.limit();
    closeWhenFlushed |= closeAfter;
    if (queuedBytes > maxQueuedBytes && queue.size() > 1) {
      overflowed = true;
      return Outcome.CLOSE;
    }
    return Outcome.QUEUED;
  }

  /**
   * Writes queued frames as far as the socket takes them. Responder thread.
   *
   * @return QUEUED while bytes remain, DONE when drained, CLOSE when the connection must close
   */
  synchronized Outcome flush() {
    try {
      while (!queue.isEmpty()) {
        ByteBuffer head = queue.peek();
        if (channel.write(head) > 0) {
          lastWriteNanos = System.nanoTime();
        }
        if (head.hasRemaining()) {
          return Outcome.QUEUED;
        }
        queue.poll();
        queuedBytes -= head.limit();
      }
    } catch (IOException e) {
      lastFailure = e;
      return Outcome.CLOSE;
    }
    return closeWhenFlushed ? Outcome.CLOSE : Outcome.DONE;
  }

  synchronized boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Drops everything queued (the connection closed). */
  synchronized void clear() {
    queue.clear();
    queuedBytes = 0;
  }

  /** True when a CLOSE was due to too many queued bytes; {@link #queuedBytes()} says how many. */
  synchronized boolean overflowed() {
    return overflowed;
  }

  synchronized long queuedBytes() {
    return queuedBytes;
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

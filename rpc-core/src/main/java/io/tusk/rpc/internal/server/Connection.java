package io.tusk.rpc.internal.server;

import io.tusk.rpc.wire.FrameEncoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted client connection: its socket, its lifecycle and its ordered response queue, with
 * the read side and the timers in their own classes.
 *
 * <ul>
 *   <li>{@link ConnectionReader}: the read state machine (preamble, connection context, calls),
 *       pausing and resuming, the hand-off of calls to the queue.
 *   <li>{@link ConnectionTimers}: write-stall, setup and frame-stall deadlines and Hadoop's idle
 *       rule, on the server's ticker.
 *   <li>{@link ResponseQueue}: the write side ({@link #send}, {@link #flushQueued}).
 * </ul>
 *
 * <p>Threads: the read side and the timer check belong to the connection's {@link Reader}
 * thread. The write side is used by handlers, the reader (for answers it gives itself) and the
 * {@link Responder}. {@link #close()} may run on any thread; it hands the read-side cleanup back
 * to the reader.
 */
final class Connection implements BudgetGate.Holder {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  private final ServerRuntime runtime;
  private final Reader reader;
  private final SocketChannel channel;
  private final InetSocketAddress remote;
  private final ConnectionTimers timers;
  /** Reader thread only. */
  private final ConnectionReader in;

  private final AtomicInteger callsInFlight = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Set by a handler that answered FATAL: the reader stops reading at its next look. */
  private volatile boolean stopRequested;

  // ---- write side: any thread, ordered by the queue's lock ----
  private final ResponseQueue responses;

  /** The responder's key for this channel; responder thread only. */
  SelectionKey writeKey;

  Connection(ServerRuntime runtime, Reader reader, SocketChannel channel,
      InetSocketAddress remote) {
    this.runtime = runtime;
    this.reader = reader;
    this.channel = channel;
    this.remote = remote;
    this.responses = new ResponseQueue(channel, runtime.responseBudget(), runtime.ticker());
    this.timers = new ConnectionTimers(this, responses, runtime.options(), runtime.idleCloser(),
        runtime.ticker().nanoTime());
    this.in = new ConnectionReader(this, reader, timers);
  }

  ServerRuntime runtime() {
    return runtime;
  }

  SocketChannel channel() {
    return channel;
  }

  InetSocketAddress remoteAddress() {
    return remote;
  }

  @Override
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public long lastReadNanos() {
    return timers.lastReadNanos();
  }

  /** The reader queued a call of this connection. */
  void callStarted() {
    callsInFlight.incrementAndGet();
  }

  /** The call queue refused the call just started: it never ran. */
  void callRejected() {
    callsInFlight.decrementAndGet();
  }

  /** A call of this connection finished or was dropped. */
  void callFinished() {
    callsInFlight.decrementAndGet();
    timers.activity(runtime.ticker().nanoTime());
  }

  int callsInFlight() {
    return callsInFlight.get();
  }

  /** True once a handler answered FATAL: the reader must stop reading. */
  boolean stopRequested() {
    return stopRequested;
  }

  @Override
  public String toString() {
    return "connection from " + remote;
  }

  // ======================== read side and timers (reader thread) ========================

  void register(Selector selector) throws ClosedChannelException {
    in.register(selector);
  }

  /** The channel is readable: read once (at most the buffer's size) and process what came. */
  void onReadable(ByteBuffer buffer, long now) {
    in.onReadable(buffer, now);
  }

  /** Called by the reader on a paused connection; true when it is reading again (or closed). */
  boolean tryResume(long now) {
    return in.tryResume(now);
  }

  /** Drops the partial frame and its budget charge. Reader thread only; idempotent. */
  void releaseReadState() {
    in.releaseReadState();
  }

  /**
   * Periodic check on the reader thread: write stall, setup deadline, frame stall, and idleness
   * when {@code idleRound} is an idle-scan round ({@link IdleCloser#NO_ROUND} otherwise).
   */
  void checkTimers(long now, long idleRound) {
    timers.check(now, in, idleRound);
  }

  // =============================== write side (any thread) ===============================

  /**
   * Writes one frame, or queues what does not fit for the responder. Responses keep their order.
   *
   * @param frame position..limit is sent; may be a reused buffer (the unsent rest is copied)
   * @param closeAfter close the connection once this frame is written (FATAL answers)
   */
  void send(ByteBuffer frame, boolean closeAfter) {
    send(frame, null, closeAfter, null);
  }

  /** Like {@link #send(ByteBuffer, boolean)}; {@code written} (may be null) hears when it is out. */
  void send(ByteBuffer frame, boolean closeAfter, ResponseQueue.WriteListener written) {
    send(frame, null, closeAfter, written);
  }

  /**
   * As {@link #send(ByteBuffer, boolean, ResponseQueue.WriteListener)} for a frame from the
   * calling thread's {@code encoder}: a large unsent rest takes the encoder's buffer over instead
   * of being copied.
   */
  void send(ByteBuffer frame, FrameEncoder encoder, boolean closeAfter,
      ResponseQueue.WriteListener written) {
    if (isClosed()) {
      return;
    }
    ResponseQueue.Outcome outcome = responses.send(frame, encoder, closeAfter, written);
    if (outcome == ResponseQueue.Outcome.QUEUED) {
      runtime.responder().wantWrite(this);
    } else if (outcome == ResponseQueue.Outcome.CLOSE) {
      closeAfterWrite();
    }
  }

  /**
   * Writes queued responses as far as the socket takes them. Responder thread.
   *
   * @return true when the queue is empty (the responder stops watching for OP_WRITE)
   */
  boolean flushQueued() {
    ResponseQueue.Outcome outcome = responses.flush();
    if (outcome == ResponseQueue.Outcome.CLOSE) {
      closeAfterWrite();
    }
    return outcome != ResponseQueue.Outcome.QUEUED;
  }

  boolean hasQueuedResponses() {
    return !responses.isEmpty();
  }

  private void closeAfterWrite() {
    if (!isClosed() && responses.lastFailure() != null) {
      LOG.debug("closing {}: write failed: {}", this, responses.lastFailure().toString());
    }
    close();
  }

  /**
   * A handler answers FATAL for one of this connection's calls (its request did not decode): the
   * answer goes out after the responses before it, nothing after it, then the connection closes;
   * the reader stops reading at its next look. One log line: ERROR with the stack when the cause
   * is an {@link Error} (a decoder that overflowed its stack), WARN otherwise. Any thread.
   */
  void fatalFromHandler(ByteBuffer frame, String reason, Throwable cause) {
    if (cause instanceof Error) {
      LOG.error("closing {}: {}", this, reason, cause);
    } else {
      LOG.warn("closing {}: {}", this, reason);
    }
    stopRequested = true;
    send(frame, true);
  }

  /**
   * Reading this connection threw something unexpected (an Error): close only this connection.
   * Reader thread.
   */
  void readFailed(Throwable t) {
    LOG.error("closing {}: reading failed with {}", this, t.toString(), t);
    in.closeNow();
  }

  /** Response bytes queued for this connection now. */
  long queuedResponseBytes() {
    return responses.queuedBytes();
  }

  /** Closes the socket and drops queued responses. Any thread; idempotent. */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing {}: {}", this, e.toString());
    }
    responses.clear();
    runtime.connectionClosed(this);
    reader.connectionClosed(this);
  }
}

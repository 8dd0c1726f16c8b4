package io.tusk.rpc.internal.client;

import io.tusk.rpc.Ticker;
import io.tusk.rpc.wire.FrameEncoder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The write side of one {@link Connection}: the writing flag, the byte-bounded send queue, pings,
 * and the progress marks the client's timer reads to tell a stuck write from a slow one.
 *
 * <p>Who writes:
 * <ul>
 *   <li>Whoever holds {@code writing} owns the output stream and the write generation. A blocking
 *       caller on an open connection takes the flag itself and writes the queued frames, its own
 *       and the ones queued meanwhile in one flush: no thread hand-off on the hot path. A caller
 *       that finds the flag taken queues a copy of its frame; every holder re-checks the queue
 *       after releasing the flag, so no frame is stranded.
 *   <li>Threads that must not block on a full socket (asynchronous callers, the timer's pings) only
 *       queue; when nobody holds the flag they take it and hand it to an I/O thread of the client
 *       ({@link #kick}), which drains the queue. So does a blocking caller whose own deadline has
 *       passed while frames of others are still queued.
 *   <li>A write blocked on a full socket is ended by closing the socket: the client's timer does
 *       it when a call reaches its deadline with the writes stalled, or when a caller still holds
 *       the flag past its deadline (see {@link #holderStalled}).
 * </ul>
 *
 * <p>Memory: queued frames count against a byte bound until they are written (a frame stuck in a
 * write still counts); a frame that would go past it is refused and its call fails at once, unless
 * nothing else is queued. Abandoned calls still queued are skipped, never sent.
 */
final class Sender {
  static final long NO_DEADLINE = Long.MIN_VALUE;

  private static final int OUTPUT_BUFFER = 16 * 1024;
  /**
   * Largest single socket write: a progress mark per chunk, and the JDK's cached temporary direct
   * buffer per writing thread stays this small instead of growing to the largest frame.
   */
  private static final int WRITE_CHUNK = 64 * 1024;

  private final Connection connection;
  private final Executor executor;
  private final long maxQueuedBytes;
  private final byte[] pingFrame;
  private final ConcurrentLinkedQueue<PendingCall> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean writing = new AtomicBoolean();
  private final Runnable drainTask = this::drainOnIoThread;

  /** Holder of {@code writing} only; set before the connection turns OPEN. */
  private OutputStream out;
  private ChunkedStream socketOut;
  /** Holder of {@code writing} only: the generation the frames being written now belong to. */
  private long generation = 1;
  /** Every frame of this generation and earlier is in the kernel. */
  private volatile long flushedGeneration;
  /** The deadline of the caller holding {@code writing}; NO_DEADLINE for I/O threads, or free. */
  private volatile long holderDeadline = NO_DEADLINE;
  private volatile boolean pingDue;

  Sender(Connection connection, Executor executor, long maxQueuedBytes, byte[] pingFrame) {
    this.connection = connection;
    this.executor = executor;
    this.maxQueuedBytes = maxQueuedBytes;
    this.pingFrame = pingFrame;
  }

  /** Setup thread, before the connection turns OPEN (which publishes the stream). */
  void open(OutputStream raw, long nowNanos, Ticker ticker) {
    socketOut = new ChunkedStream(raw, nowNanos, ticker);
    out = new BufferedOutputStream(socketOut, OUTPUT_BUFFER);
  }

  // ---------------------------------------------------------------- callers

  /**
   * A blocking caller's send on an open connection: writes on this thread when nobody else does,
   * otherwise queues a copy for the current writer. Either way the encoder goes back to its pool
   * as soon as the frame is written or copied, before this caller drains what others queued.
   */
  void send(PendingCall call, ByteBuffer frame, FrameEncoder encoder, EncoderPool pool) {
    long deadline = call.hasDeadline() ? call.deadlineNanos() : NO_DEADLINE;
    if (writing.compareAndSet(false, true)) {
      holding(deadline);
      boolean written = writeHeld(deadline, call, frame);
      pool.give(encoder);
      if (!written) {
        return;
      }
    } else {
      byte[] copy = new byte[frame.remaining()];
      frame.get(copy);
      pool.give(encoder);
      if (!enqueue(call, copy)) {
        return;
      }
    }
    // Frames queued while we held the flag (or by whoever held it when we could not) must not be
    // stranded: re-check after every release.
    drain(deadline);
  }

  /**
   * Queues a frame for whoever writes next (asynchronous callers, calls made before the
   * connection is open, callers that lost the flag).
   *
   * @return false when the queue is over its bound: the call was failed and nothing queued
   */
  boolean enqueue(PendingCall call, byte[] frame) {
    int length = frame.length;
    long queued = queuedBytes.addAndGet(length);
    if (queued > maxQueuedBytes && queued != length) {
      queuedBytes.addAndGet(-length);
      connection.refuse(call, queued - length, maxQueuedBytes);
      return false;
    }
    call.frame = frame;
    queue.add(call);
    return true;
  }

  /** Any thread that must not write: an I/O thread drains the queue unless someone is writing. */
  void kick() {
    if (hasWork() && writing.compareAndSet(false, true)) {
      handOff();
    }
  }

  /** The timer: a ping goes out with the next flush, from an I/O thread if nobody is writing. */
  void ping() {
    pingDue = true;
    kick();
  }

  /** The setup thread (an I/O thread) writes what was queued while the connection opened. */
  void drainQueued() {
    drain(NO_DEADLINE);
  }

  private boolean hasWork() {
    return pingDue || !queue.isEmpty();
  }

  /** Writes while there is work and the flag is free; a caller past its deadline hands off. */
  private void drain(long deadline) {
    while (hasWork() && writing.compareAndSet(false, true)) {
      if (deadline != NO_DEADLINE && connection.nanoTime() - deadline >= 0) {
        handOff(); // this caller's time is up; the frames of others go out from an I/O thread
        return;
      }
      holding(deadline);
      if (!writeHeld(deadline)) {
        return;
      }
    }
  }

  private void drainOnIoThread() {
    if (writeHeld(NO_DEADLINE)) {
      drain(NO_DEADLINE);
    }
  }

  /**
   * The new holder announces its deadline to the timer. It is NO_DEADLINE whenever no caller
   * with a deadline holds the flag (release resets it first), so the timer never pairs a new
   * holder with an old holder's deadline. Callers without a deadline pay no volatile write.
   */
  private void holding(long deadline) {
    if (deadline != NO_DEADLINE) {
      holderDeadline = deadline;
    }
  }

  private void release(long deadline) {
    if (deadline != NO_DEADLINE) {
      holderDeadline = NO_DEADLINE;
    }
    writing.set(false);
  }

  /** Holder: gives the flag to an I/O thread. */
  private void handOff() {
    try {
      executor.execute(drainTask);
    } catch (RejectedExecutionException e) {
      writing.set(false);
      connection.close("client closed", null);
    }
  }

  /** Holder: writes the queue, flushes and releases the flag. False when the write failed. */
  private boolean writeHeld(long deadline) {
    return writeHeld(deadline, null, null);
  }

  /**
   * Holder: writes the queue, then {@code frame} (the caller's own, from its encoder) and what
   * was queued meanwhile, flushes once and releases the flag. False when the write failed.
   */
  private boolean writeHeld(long deadline, PendingCall own, ByteBuffer frame) {
    IOException failure = null;
    try {
      writeQueued();
      if (frame != null) {
        if (own.claimSend()) { // not diverted by a close: see PendingCall
          out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
          own.writtenGeneration = generation;
        }
        writeQueued();
      }
      flush();
    } catch (IOException e) {
      failure = e;
    } finally {
      release(deadline);
    }
    if (failure != null) {
      connection.writeFailed(failure);
      return false;
    }
    return true;
  }

  /** Holder only. */
  private void writeQueued() throws IOException {
    if (pingDue) {
      pingDue = false;
      out.write(pingFrame);
    }
    PendingCall call;
    while ((call = queue.poll()) != null) {
      byte[] frame = call.frame;
      call.frame = null;
      // Timed out, cancelled or diverted by a close while queued: the server never sees it.
      if (!call.isDone() && call.claimSend()) {
        out.write(frame);
        call.writtenGeneration = generation;
      }
      // Counted until written: a frame stuck in a write still holds its memory.
      queuedBytes.addAndGet(-frame.length);
    }
  }

  /** Holder only. */
  private void flush() throws IOException {
    out.flush();
    flushedGeneration = generation;
    generation++;
  }

  // ---------------------------------------------------------------- the timer

  /** Whether the call's request is entirely in the kernel (any thread). */
  boolean written(PendingCall call) {
    long flushed = flushedGeneration;
    long written = call.writtenGeneration;
    return written != 0 && written <= flushed;
  }

  /** When bytes last went into the socket (or the connection opened). */
  long lastProgressNanos() {
    ChunkedStream s = socketOut;
    return s == null ? Long.MIN_VALUE : s.lastProgressNanos;
  }

  /**
   * Whether a caller has held the flag past its own deadline, with no byte written for at least
   * {@code stallNanos}: it sits in a write that only closing the socket will end.
   */
  boolean holderStalled(long now, long stallNanos) {
    if (!writing.get()) {
      return false;
    }
    long deadline = holderDeadline;
    return deadline != NO_DEADLINE && now - deadline >= 0
        && now - lastProgressNanos() >= stallNanos
        && writing.get() && holderDeadline == deadline;
  }

  /** The connection closed: drop what is queued (its calls have been failed). */
  void closed() {
    pingDue = false;
    PendingCall call;
    while ((call = queue.poll()) != null) {
      call.frame = null;
    }
    queuedBytes.set(0);
  }

  /**
   * The socket's stream, written in chunks of at most {@link #WRITE_CHUNK} bytes, stamping each
   * one: the timer's measure of write progress.
   */
  private static final class ChunkedStream extends OutputStream {
    private final OutputStream raw;
    private final Ticker ticker;
    volatile long lastProgressNanos;

    ChunkedStream(OutputStream raw, long nowNanos, Ticker ticker) {
      this.raw = raw;
      this.ticker = ticker;
      this.lastProgressNanos = nowNanos;
    }

    @Override
    public void write(int b) throws IOException {
      raw.write(b);
      lastProgressNanos = ticker.nanoTime();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        int n = Math.min(len, WRITE_CHUNK);
        raw.write(b, off, n);
        lastProgressNanos = ticker.nanoTime();
        off += n;
        len -= n;
      }
    }

    @Override
    public void flush() throws IOException {
      raw.flush();
    }

    @Override
    public void close() throws IOException {
      raw.close();
    }
  }
}

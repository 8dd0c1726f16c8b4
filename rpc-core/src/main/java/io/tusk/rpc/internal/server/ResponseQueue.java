package io.tusk.rpc.internal.server;

import io.tusk.rpc.Ticker;
import io.tusk.rpc.wire.ByteBudget;
import io.tusk.rpc.wire.FrameEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The write side of one connection: response frames, written in batches by whichever thread holds
 * the writing flag.
 *
 * <p>Who writes: a handler that finds the flag free takes it and writes whatever other threads
 * queued meanwhile together with its own frame, in gathering writes of up to {@link #MAX_WRITE}
 * bytes (so N handlers finishing at once cost one {@code write} instead of N, as gRPC's WriteQueue
 * and Netty's outbound buffer do). When nothing is queued, the holder writes its frame straight
 * from its encoder's buffer, with no bookkeeping object: the common case at low load. A handler
 * that finds the flag taken queues its frame and returns at once; it never waits for another
 * thread's write. Whatever the socket does not take stays in the holder's backlog for the
 * {@link Responder}, which takes the flag the same way. Every holder re-checks the queue after
 * releasing the flag, so no frame is stranded. Responses of one connection never interleave; their
 * order is the order in which they were handed in.
 *
 * <p>Keeping a frame: the caller reuses its encoder once {@code send} returns. A rest larger than
 * {@link #COPY_LIMIT} that fills at least half of the encoder's array is taken over
 * ({@link FrameEncoder#release}: the encoder continues with a fresh small buffer), so a large
 * response is not copied unless most of it is already written; a small rest is copied, which is
 * cheaper than regrowing the encoder.
 *
 * <p>Memory: kept bytes are charged to the server-wide response budget until they are written
 * or dropped (a taken-over array may hold up to as many bytes again as are charged), and
 * {@link #queuedBytes()} lets the reader apply the connection's water marks. Nothing here closes a
 * connection for queueing too much: a peer that reads nothing is paused by the water marks and
 * closed by the write-stall deadline ({@link #stalledNanos}). Heap buffers go to the socket in
 * slices: one buffer of at most {@link #MAX_WRITE} bytes, or a gathering write of buffers adding up
 * to at most that. The JDK copies heap buffers into temporary direct buffers of the same size and
 * caches them per thread; frame-sized ones would pin a frame's worth of native memory per handler.
 * Sliced, a writing thread's cache holds at most {@link #MAX_GATHER} buffers of at most
 * {@link #MAX_WRITE} bytes each (in practice far less: a gathering write adds up to 64 KiB).
 *
 * <p>Once a closing frame (a FATAL answer) is handed in, later frames are dropped: the peer is told
 * why the connection ends and nothing after that; {@link Outcome#CLOSE} comes once it is written.
 */
final class ResponseQueue {
  /** Largest number of bytes handed to one {@code write}. */
  static final int MAX_WRITE = 64 * 1024;
  /** Largest number of frames gathered into one {@code write}. */
  static final int MAX_GATHER = 32;
  /** Unsent rests up to this size are copied; larger ones take the encoder's array over. */
  static final int COPY_LIMIT = 4 * 1024;

  /** What the caller must do next. */
  enum Outcome {
    /** Nothing: written, dropped behind a closing answer, or another thread is writing it. */
    DONE,
    /** Bytes wait for the socket: the responder must watch it. */
    QUEUED,
    /** Close the connection (the closing answer is out, or the write failed). */
    CLOSE
  }

  /** Told when a frame's last byte has been handed to the socket (per-call timings). */
  interface WriteListener {
    /** Called by the writing thread, once, right after the frame's last byte was written. */
    void responseWritten();
  }

  /** A frame waiting to be written. */
  private static final class Pending {
    /** Changed only by the holder of the flag (when it keeps its own frame's rest). */
    ByteBuffer bytes;
    /** Whether the remaining bytes are charged to the budget (copies are; a holder's own is not). */
    boolean charged;
    final boolean closing;
    final WriteListener listener;

    Pending(ByteBuffer bytes, boolean charged, boolean closing, WriteListener listener) {
      this.bytes = bytes;
      this.charged = charged;
      this.closing = closing;
      this.listener = listener;
    }
  }

  private final GatheringByteChannel channel;
  private final ByteBudget budget;
  private final Ticker ticker;
  private final ConcurrentLinkedQueue<Pending> incoming = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean writing = new AtomicBoolean();
  private final AtomicLong queuedBytes = new AtomicLong();

  // ---- holder of `writing` only ----
  private final ArrayDeque<Pending> backlog = new ArrayDeque<>();
  private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];
  private final int[] before = new int[MAX_GATHER];
  private boolean closingWritten;

  private volatile boolean closing;
  private volatile boolean cleared;
  private volatile long lastWriteNanos;
  /** Last time queued bytes moved, or the queue became non-empty. */
  private volatile long lastProgressNanos;
  private volatile IOException lastFailure;

  /**
   * @param budget the server-wide response budget the queued bytes are charged to
   */
  ResponseQueue(GatheringByteChannel channel, ByteBudget budget) {
    this(channel, budget, Ticker.SYSTEM);
  }

  /** @param ticker the clock of the write-stall deadline and the last-write stamp */
  ResponseQueue(GatheringByteChannel channel, ByteBudget budget, Ticker ticker) {
    this.channel = channel;
    this.budget = budget;
    this.ticker = ticker;
  }

  /** {@link #send(ByteBuffer, FrameEncoder, boolean, WriteListener)}: copied if kept, no listener. */
  Outcome send(ByteBuffer frame, boolean closeAfter) {
    return send(frame, null, closeAfter, null);
  }

  /** Like {@link #send(ByteBuffer, boolean)}; {@code listener} (may be null) hears when it is out. */
  Outcome send(ByteBuffer frame, boolean closeAfter, WriteListener listener) {
    return send(frame, null, closeAfter, listener);
  }

  /**
   * Writes {@code frame} (with whatever is queued before it), or queues it for the thread that
   * is writing. Any thread.
   *
   * @param frame position..limit is sent; may be a reused buffer (what is not written before this
   *     returns is kept: copied, or taken over from {@code encoder})
   * @param encoder the calling thread's encoder {@code frame} came from, or null; the queue may
   *     {@link FrameEncoder#release release} its buffer instead of copying a large rest
   * @param closeAfter the connection closes once this frame is out (FATAL answers)
   * @param listener hears when the frame's last byte is written; may be null
   */
  Outcome send(ByteBuffer frame, FrameEncoder encoder, boolean closeAfter,
      WriteListener listener) {
    if (closing || cleared) {
      return Outcome.DONE; // behind a closing answer, or closed: nobody will read it
    }
    if (closeAfter) {
      closing = true;
    }
    if (writing.compareAndSet(false, true)) {
      Outcome outcome = writeHeld(frame, encoder, closeAfter, listener);
      return outcome == Outcome.CLOSE ? outcome : recheck(outcome);
    }
    hand(keep(frame, encoder), closeAfter, listener);
    return recheck(Outcome.DONE);
  }

  /**
   * Writes what is queued as far as the socket takes it. Responder thread.
   *
   * @return QUEUED while bytes remain, DONE when drained (or another thread is writing, which then
   *     calls the responder again itself if the socket fills), CLOSE when the connection must close
   */
  Outcome flush() {
    if (!writing.compareAndSet(false, true)) {
      return Outcome.DONE;
    }
    Outcome outcome = writeHeld(null, null, false, null);
    return outcome == Outcome.CLOSE ? outcome : recheck(outcome);
  }

  /**
   * After releasing the flag: frames handed in meanwhile must not be stranded, and a clear that
   * came while the flag was held must still drop what is queued.
   */
  private Outcome recheck(Outcome outcome) {
    while (true) {
      if (cleared) {
        dropIfFree();
        return outcome;
      }
      if (outcome == Outcome.QUEUED || incoming.isEmpty()
          || !writing.compareAndSet(false, true)) {
        return outcome; // QUEUED: the responder is (or will be) watching and takes the rest
      }
      outcome = writeHeld(null, null, false, null);
      if (outcome == Outcome.CLOSE) {
        return outcome;
      }
    }
  }

  private void dropIfFree() {
    if (writing.compareAndSet(false, true)) {
      dropAll();
      writing.set(false);
    }
  }

  /**
   * Holder of the flag: writes the backlog, what was handed in and {@code own} (if not null), keeps
   * in the backlog what the socket does not take, and releases the flag.
   */
  private Outcome writeHeld(ByteBuffer own, FrameEncoder encoder, boolean closeAfter,
      WriteListener listener) {
    Outcome outcome;
    try {
      outcome = drain(own, encoder, closeAfter, listener);
    } catch (IOException e) {
      lastFailure = e;
      outcome = Outcome.CLOSE;
    } catch (RuntimeException | Error e) {
      writing.set(false);
      throw e;
    }
    if (cleared) {
      dropAll();
    }
    writing.set(false);
    return outcome;
  }

  private Outcome drain(ByteBuffer own, FrameEncoder encoder, boolean closeAfter,
      WriteListener listener) throws IOException {
    long now = ticker.nanoTime();
    takeIncoming();
    Pending ownPending = null;
    if (own != null) {
      if (backlog.isEmpty()) {
        // Nothing goes before it: write it from the caller's buffer, no Pending unless it stays.
        if (!writeFrame(own, now)) {
          backlog.add(new Pending(charge(keep(own, encoder)), true, closeAfter, listener));
          return Outcome.QUEUED;
        }
        if (closeAfter) {
          closingWritten = true;
        }
        if (listener != null) {
          listener.responseWritten();
        }
        takeIncoming();
      } else {
        ownPending = new Pending(own, false, closeAfter, listener);
        backlog.add(ownPending);
      }
    }
    while (!backlog.isEmpty() && !cleared) {
      if (!writeSome(now)) {
        keepOwn(ownPending, encoder);
        return Outcome.QUEUED;
      }
      takeIncoming();
    }
    return closingWritten ? Outcome.CLOSE : Outcome.DONE;
  }

  private void takeIncoming() {
    Pending p;
    while ((p = incoming.poll()) != null) {
      backlog.add(p);
    }
  }

  /** The caller's buffer is reused once we return: keep what the socket did not take. */
  private void keepOwn(Pending own, FrameEncoder encoder) {
    if (own != null && !own.charged && own.bytes.hasRemaining()) {
      own.bytes = charge(keep(own.bytes, encoder));
      own.charged = true;
    }
  }

  /**
   * A buffer the queue owns with {@code rest}'s remaining bytes: {@code rest} itself when its
   * encoder gives up the array (a large rest that fills at least half of it), else a copy.
   */
  static ByteBuffer keep(ByteBuffer rest, FrameEncoder encoder) {
    int n = rest.remaining();
    if (encoder != null && n > COPY_LIMIT && n >= rest.capacity() / 2 && encoder.release(rest)) {
      return rest;
    }
    return copy(rest);
  }

  /**
   * Writes one frame alone in slices of at most {@link #MAX_WRITE} bytes, until it is out or the
   * socket takes less than offered.
   *
   * @return true when the whole frame is written
   */
  private boolean writeFrame(ByteBuffer frame, long now) throws IOException {
    while (frame.hasRemaining()) {
      int offered = Math.min(frame.remaining(), MAX_WRITE);
      if (writeSlice(frame, offered, now) < offered) {
        return false;
      }
    }
    return true;
  }

  private int writeSlice(ByteBuffer bytes, int offered, long now) throws IOException {
    int limit = bytes.limit();
    bytes.limit(bytes.position() + offered);
    int written;
    try {
      written = channel.write(bytes);
    } finally {
      bytes.limit(limit);
    }
    if (written > 0) {
      lastWriteNanos = now;
      lastProgressNanos = now;
    }
    return written;
  }

  /** One write of the backlog's head frames; false when the socket took less than offered. */
  private boolean writeSome(long now) throws IOException {
    int count = 0;
    long offered = 0;
    for (Pending p : backlog) {
      int size = p.bytes.remaining();
      if (count == MAX_GATHER || (count > 0 && offered + size > MAX_WRITE)) {
        break;
      }
      gather[count] = p.bytes;
      before[count] = p.bytes.position();
      count++;
      offered += size;
      if (offered >= MAX_WRITE) {
        break;
      }
    }
    long written;
    if (count == 1) {
      offered = Math.min(offered, MAX_WRITE); // one frame larger than a slice: its first slice
      written = writeSlice(gather[0], (int) offered, now);
    } else {
      written = channel.write(gather, 0, count);
      if (written > 0) {
        lastWriteNanos = now;
        lastProgressNanos = now;
      }
    }
    if (written > 0) {
      account(count);
    }
    Arrays.fill(gather, 0, count, null);
    return written == offered;
  }

  /**
   * After a write of the first {@code count} backlog frames: returns the charged bytes written to
   * the budget and pops the frames written completely.
   */
  private void account(int count) {
    long released = 0;
    for (int i = 0; i < count; i++) {
      Pending head = backlog.peek();
      int took = head.bytes.position() - before[i];
      if (head.charged) {
        released += took;
      }
      if (head.bytes.hasRemaining()) {
        break;
      }
      backlog.poll();
      if (head.closing) {
        closingWritten = true;
      }
      if (head.listener != null) {
        head.listener.responseWritten();
      }
    }
    if (released > 0) {
      queuedBytes.addAndGet(-released);
      budget.release(released);
    }
  }

  /** Queues a frame for the holder (the queue owns it; charged to the budget). */
  private void hand(ByteBuffer copy, boolean closeAfter, WriteListener listener) {
    charge(copy);
    incoming.add(new Pending(copy, true, closeAfter, listener));
  }

  private ByteBuffer charge(ByteBuffer copy) {
    int n = copy.remaining();
    if (queuedBytes.getAndAdd(n) == 0) {
      lastProgressNanos = ticker.nanoTime(); // the stall clock starts when bytes start waiting
    }
    budget.charge(n);
    return copy;
  }

  private static ByteBuffer copy(ByteBuffer frame) {
    ByteBuffer copy = ByteBuffer.allocate(frame.remaining());
    copy.put(frame).flip();
    return copy;
  }

  /** Holder: drops every queued frame and returns its charge (the connection closed). */
  private void dropAll() {
    takeIncoming();
    Pending p;
    long released = 0;
    while ((p = backlog.poll()) != null) {
      if (p.charged) {
        released += p.bytes.remaining();
      }
    }
    if (released > 0) {
      queuedBytes.addAndGet(-released);
      budget.release(released);
    }
  }

  /** True when nothing waits to be written. */
  boolean isEmpty() {
    return queuedBytes.get() == 0 && incoming.isEmpty() && !writing.get();
  }

  /** Drops everything queued (the connection closed) and returns its budget charge. Any thread. */
  void clear() {
    cleared = true;
    // If a thread holds the flag, it drops everything before it lets go of it (or right after,
    // in recheck); whoever hands in a frame later sees `cleared` and drops it too.
    dropIfFree();
  }

  /** Bytes queued now; lock-free, for water marks and metrics. */
  long queuedBytes() {
    return queuedBytes.get();
  }

  /**
   * How long queued bytes have waited without any of them being written: 0 when nothing is
   * queued. Any thread.
   */
  long stalledNanos(long now) {
    return queuedBytes.get() == 0 ? 0 : Math.max(0, now - lastProgressNanos);
  }

  /** The write failure behind the last {@link Outcome#CLOSE}, or null. */
  IOException lastFailure() {
    return lastFailure;
  }

  /** The ticker's reading at the last write that moved bytes (0 if none). */
  long lastWriteNanos() {
    return lastWriteNanos;
  }
}

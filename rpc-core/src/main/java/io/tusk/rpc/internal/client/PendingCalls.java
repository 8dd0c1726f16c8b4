package io.tusk.rpc.internal.client;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The calls of one connection that wait for a response, by call id, plus an admission gate that
 * closes once: after {@link #close()} (or a successful {@link #closeIfIdle()}) no call gets in.
 *
 * <p>Threads: callers {@link #add} and {@link #remove(PendingCall) abandon}; the receiver
 * {@link #remove(int) takes} calls to complete them; the client's timer walks {@link #calls()}
 * for deadlines; whoever closes the connection {@link #failAll drains} the rest. Lock-free. The
 * gate is one int: the sign bit says "closed", the other bits count admitted calls, so "close only
 * if nothing is pending" is a single CAS and cannot race with a caller slipping in (the idle-close
 * race).
 *
 * <p>A call added while the gate closes is never orphaned: {@code add} puts the call in the map
 * and then re-reads the gate, while {@code close} shuts the gate and then drains the map, so
 * either the adder sees "closed" (and withdraws the call) or the drain sees the call.
 */
final class PendingCalls {
  private static final int CLOSED = Integer.MIN_VALUE;
  private static final int COUNT = Integer.MAX_VALUE;

  private final AtomicInteger gate = new AtomicInteger();
  private final Map<Integer, PendingCall> calls = new ConcurrentHashMap<>();

  /**
   * Registers a call.
   *
   * @return false when the gate is closed: the call was not registered and the caller should use
   *     another connection
   */
  boolean add(PendingCall call) {
    int s;
    do {
      s = gate.get();
      if (s < 0) {
        return false;
      }
    } while (!gate.compareAndSet(s, s + 1));
    calls.put(call.id(), call);
    if (gate.get() < 0 && calls.remove(call.id(), call)) {
      // Closed while we were adding, and the drain has not seen us: withdraw.
      release();
      return false;
    }
    return true;
  }

  /** Takes the call with this id out of the table, or returns null when none is pending. */
  PendingCall remove(int callId) {
    PendingCall call = calls.remove(callId);
    if (call != null) {
      release();
    }
    return call;
  }

  /** Takes this exact call out (abandon). False when it was no longer pending. */
  boolean remove(PendingCall call) {
    if (calls.remove(call.id(), call)) {
      release();
      return true;
    }
    return false;
  }

  /** A live view of the pending calls, for the timer's deadline scan (weakly consistent). */
  Collection<PendingCall> calls() {
    return calls.values();
  }

  /** Calls admitted and not yet removed. */
  int size() {
    return gate.get() & COUNT;
  }

  boolean isClosed() {
    return gate.get() < 0;
  }

  /** Closes the gate only when no call is pending. True when this closed it. */
  boolean closeIfIdle() {
    return gate.compareAndSet(0, CLOSED);
  }

  /** Closes the gate (idempotent). Pending calls stay until {@link #failAll}. */
  void close() {
    int s;
    do {
      s = gate.get();
    } while (s >= 0 && !gate.compareAndSet(s, s | CLOSED));
  }

  /**
   * Removes every pending call and fails it with the exception {@code failure} builds for it; a
   * call for which {@code failure} returns null was taken care of otherwise (resent) and is not
   * failed.
   *
   * @return how many calls were failed
   */
  int failAll(Function<PendingCall, ? extends IOException> failure) {
    int failed = 0;
    for (PendingCall call : calls.values()) {
      if (calls.remove(call.id(), call)) {
        release();
        IOException e = failure.apply(call);
        if (e != null) {
          call.fail(e);
          failed++;
        }
      }
    }
    return failed;
  }

  private void release() {
    int s;
    do {
      s = gate.get();
      if ((s & COUNT) == 0) {
        throw new IllegalStateException("pending-call count underflow");
      }
    } while (!gate.compareAndSet(s, s - 1));
  }
}

package io.tusk.rpc;

/**
 * A source of monotonic nanosecond time, as {@link System#nanoTime()}: every timer of a server
 * or client (idle close, setup deadline, pings, write stalls, call deadlines, per-call timings)
 * reads one, so that tests can drive timeouts with a fake clock instead of sleeping.
 *
 * <p>Only differences between two readings of the same ticker mean anything. Implementations
 * must be thread-safe and cheap: the hot path reads it several times per call.
 */
@FunctionalInterface
public interface Ticker {
  /** The ticker every server and client uses unless given another: {@link System#nanoTime()}. */
  Ticker SYSTEM = System::nanoTime;

  /** The current reading, in nanoseconds. */
  long nanoTime();
}

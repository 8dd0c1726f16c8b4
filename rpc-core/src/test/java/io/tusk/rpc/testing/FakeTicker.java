package io.tusk.rpc.testing;

import io.tusk.rpc.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that stands still until a test moves it: give it to a server or client
 * ({@code Server.Builder.ticker}, {@code Client.Builder.ticker}), then {@link #advance} past a
 * timeout and await the effect (the timer threads still wake on real time, a few times a second,
 * and compare their deadlines with this clock).
 *
 * <p>Thread-safe: the test thread advances it while the server's and client's threads read it.
 * It starts at an arbitrary reading (about 34 hours), as {@link System#nanoTime()} may, so that
 * code which wrongly treats a reading as absolute (or 0 as "never") shows up in tests.
 */
public final class FakeTicker implements Ticker {
  private final AtomicLong now;

  /** A fake clock starting at an arbitrary reading. */
  public FakeTicker() {
    this(123_456_789_000_000L);
  }

  /** A fake clock starting at {@code startNanos}. */
  public FakeTicker(long startNanos) {
    this.now = new AtomicLong(startNanos);
  }

  @Override
  public long nanoTime() {
    return now.get();
  }

  /** Moves the clock forward by {@code amount}; returns the new reading. */
  public long advance(Duration amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException("a monotonic clock cannot go back: " + amount);
    }
    return now.addAndGet(amount.toNanos());
  }

  @Override
  public String toString() {
    return "FakeTicker[" + now.get() + "]";
  }
}

package io.tusk.rpc.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition until it holds, for state that offers nothing to block on (a gauge of the
 * server, a count of open connections, a thread set). Fails with {@code what} when the timeout
 * passes.
 */
public final class Await {
  private Await() {}

  /** Waits up to {@code timeout} for {@code condition}. */
  public static void until(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for "
            + what);
      }
      try {
        Thread.sleep(5); // a polling interval, not a guess at how long something takes
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }

  /** The same wait with the condition first. */
  public static void until(BooleanSupplier condition, Duration timeout, String what) {
    until(timeout, what, condition);
  }
}

package io.tusk.rpc.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Joining a set of threads within one deadline, for the {@code close()} and
 * {@code awaitTermination} of servers and clients. Not an API.
 */
public final class Threads {
  private Threads() {}

  /**
   * Waits until every thread has ended or {@code timeout} has passed, whichever comes first (one
   * deadline for all of them, not one timeout each).
   *
   * @return the threads still alive at the deadline, in the order given; empty when all ended
   * @throws InterruptedException when the calling thread is interrupted while waiting
   */
  public static List<Thread> joinAll(Collection<Thread> threads, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Thread> alive = new ArrayList<>();
    for (Thread thread : threads) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        TimeUnit.NANOSECONDS.timedJoin(thread, left);
      }
      if (thread.isAlive()) {
        alive.add(thread);
      }
    }
    return alive;
  }
}

package io.tusk.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Threads#joinAll}, the one join-with-deadline loop of ClientRuntime and ServerRuntime. */
@Timeout(20)
class ThreadsTest {
  private static Thread started(String name, CountDownLatch release) {
    Thread thread = new Thread(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  @Test
  void returnsNothingWhenEveryThreadEnds() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    Thread a = started("threads-test-a", release);
    Thread b = started("threads-test-b", release);
    release.countDown();

    assertThat(Threads.joinAll(List.of(a, b), Duration.ofSeconds(10))).isEmpty();
    assertThat(a.isAlive() || b.isAlive()).isFalse();
  }

  @Test
  void oneDeadlineForAllReturnsTheLiveOnesInOrder() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch ended = new CountDownLatch(0);
    Thread stuck1 = started("threads-test-stuck-1", release);
    Thread done = started("threads-test-done", ended);
    Thread stuck2 = started("threads-test-stuck-2", release);
    try {
      long start = System.nanoTime();
      List<Thread> alive = Threads.joinAll(List.of(stuck1, done, stuck2), Duration.ofMillis(300));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(alive).containsExactly(stuck1, stuck2);
      // one deadline, not 300 ms per thread: within the deadline plus a second of slack
      assertThat(took).isLessThan(Duration.ofMillis(300 + 1000));
    } finally {
      release.countDown();
      stuck1.join(10_000);
      stuck2.join(10_000);
    }
  }

  @Test
  void anInterruptedCallerStopsWaiting() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    Thread stuck = started("threads-test-stuck", release);
    try {
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> Threads.joinAll(List.of(stuck), Duration.ofSeconds(10)))
          .isInstanceOf(InterruptedException.class);
    } finally {
      Thread.interrupted();
      release.countDown();
      stuck.join(10_000);
    }
  }
}

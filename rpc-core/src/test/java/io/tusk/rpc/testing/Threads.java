package io.tusk.rpc.testing;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Thread-leak checks for tests: every server and client names its threads, so a test gives them a
 * unique name and asserts after {@code close()} that no thread carrying it is alive.
 */
public final class Threads {
  private Threads() {}

  /** Names of live threads whose name contains {@code fragment}. */
  public static List<String> alive(String fragment) {
    Set<Thread> all = Thread.getAllStackTraces().keySet();
    return all.stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.contains(fragment))
        .sorted()
        .collect(Collectors.toList());
  }

  /**
   * Waits up to {@code timeout} for every thread whose name contains {@code fragment} to end, and
   * fails with their names and stacks if some remain.
   */
  public static void assertNoneAlive(String fragment, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<String> left = alive(fragment);
      if (left.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        StringBuilder sb = new StringBuilder("threads still alive: " + left);
        Thread.getAllStackTraces().forEach((t, stack) -> {
          if (t.getName().contains(fragment)) {
            sb.append("\n").append(t.getName()).append(":");
            for (StackTraceElement e : stack) {
              sb.append("\n    at ").append(e);
            }
          }
        });
        throw new AssertionError(sb.toString());
      }
      try {
        // Joining unknown threads is not possible by name; a short poll is the bounded wait here.
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for threads " + left, e);
      }
    }
  }

  /** A name unlikely to collide with other tests' threads, e.g. {@code srv-3f2a}. */
  public static String uniqueName(String prefix) {
    return prefix + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
  }
}

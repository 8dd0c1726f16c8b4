package io.tusk.rpc.examples.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of a group of threads, found by the start of their names (every Tusk thread is named
 * after its server or client), read from {@link ThreadMXBean}. Take a {@link #snapshot} at the
 * start and at the end of a window; {@link Snapshot#since} is the CPU those threads used in
 * between. A thread that started inside the window counts from zero; one that ended inside it is
 * lost (its time can no longer be read), which is why the benchmark keeps its threads alive until
 * the last snapshot.
 */
public final class ThreadCpu {
  private static final ThreadMXBean BEAN = ManagementFactory.getThreadMXBean();

  private ThreadCpu() {}

  /** CPU time per thread id at one moment. */
  public record Snapshot(Map<Long, Long> cpuNanosByThread) {
    public Snapshot {
      cpuNanosByThread = Map.copyOf(cpuNanosByThread);
    }

    /** The CPU time, in nanoseconds, the threads of this snapshot used after {@code earlier}. */
    public long since(Snapshot earlier) {
      long total = 0;
      for (Map.Entry<Long, Long> e : cpuNanosByThread.entrySet()) {
        total += e.getValue() - earlier.cpuNanosByThread.getOrDefault(e.getKey(), 0L);
      }
      return total;
    }
  }

  /**
   * Whether this JVM measures thread CPU time; turns the measurement on when it is supported but
   * off.
   */
  public static boolean available() {
    if (!BEAN.isThreadCpuTimeSupported()) {
      return false;
    }
    if (!BEAN.isThreadCpuTimeEnabled()) {
      BEAN.setThreadCpuTimeEnabled(true);
    }
    return true;
  }

  /** The CPU time of every live thread whose name starts with one of {@code prefixes}. */
  public static Snapshot snapshot(String... prefixes) {
    Map<Long, Long> byThread = new HashMap<>();
    // Thread infos without stack traces: cheap, and null for a thread that has just ended.
    for (ThreadInfo info : BEAN.getThreadInfo(BEAN.getAllThreadIds(), 0)) {
      if (info == null || !startsWithAny(info.getThreadName(), prefixes)) {
        continue;
      }
      long nanos = BEAN.getThreadCpuTime(info.getThreadId());
      if (nanos >= 0) {
        byThread.put(info.getThreadId(), nanos);
      }
    }
    return new Snapshot(byThread);
  }

  private static boolean startsWithAny(String name, String[] prefixes) {
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}

package io.tusk.rpc.examples.faults;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * Runs {@code threads × calls} RPCs from named caller threads ({@code <name>-caller-<t>}) and
 * records how every call ended: with its expected result, a wrong result, a clear exception or
 * some other throwable, and how long it took. Used by the fault tests to prove that every call
 * ends, not how fast.
 *
 * <p>The load stops issuing calls when {@link #finish} reaches its bound, so a client that hangs
 * makes the test fail with counts instead of running into the JUnit timeout. {@link #close()}
 * interrupts and joins the callers.
 */
final class CallLoad implements AutoCloseable {
  /** One call; throws {@link AssertionError} when the call returned a wrong result. */
  @FunctionalInterface
  interface Op {
    void call(int thread, int index) throws Exception;
  }

  /** How a load ended. */
  record Result(long expected, long ended, long succeeded, long wrong, long unclear,
      Map<String, Long> failures, List<String> samples, long maxCallNanos, String slowestCall,
      long firstFailureNanos, Duration elapsed, boolean stoppedAtBound, int stuckCallers) {

    long failed() {
      return ended - succeeded - wrong;
    }

    double successRatio() {
      return expected == 0 ? 1 : (double) succeeded / expected;
    }

    String summary() {
      return ended + " of " + expected + " calls ended in " + elapsed.toMillis() + " ms"
          + (stoppedAtBound ? " (stopped at the bound)" : "") + ": " + succeeded + " ok, "
          + wrong + " wrong results, " + failed() + " failed " + failures + " (" + unclear
          + " unclear), slowest " + TimeUnit.NANOSECONDS.toMillis(maxCallNanos) + " ms ("
          + slowestCall + "), " + stuckCallers + " callers stuck; samples: " + samples;
    }
  }

  /** What one caller saw; written by that caller only, read after it ended. */
  private static final class Tally {
    long succeeded;
    long wrong;
    long unclear;
    final Map<String, Long> failures = new TreeMap<>();
    final List<String> samples = new ArrayList<>();
    long maxNanos;
    String slowest = "none";
    long firstFailureNanos;
  }

  private static final int SAMPLES_PER_CALLER = 2;

  private final int threads;
  private final int calls;
  private final Op op;
  private final Predicate<Throwable> clear;
  private final List<Thread> callers = new ArrayList<>();
  private final Tally[] tallies;
  private final LongAdder ended = new LongAdder();
  private final CountDownLatch done;
  private final long startNanos;
  private volatile boolean stop;

  private CallLoad(String name, int threads, int calls, Op op, Predicate<Throwable> clear) {
    this.threads = threads;
    this.calls = calls;
    this.op = op;
    this.clear = clear;
    this.tallies = new Tally[threads];
    this.done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      tallies[t] = new Tally();
      Thread caller = new Thread(() -> callLoop(thread), name + "-caller-" + t);
      caller.setDaemon(true);
      callers.add(caller);
    }
    this.startNanos = System.nanoTime();
    callers.forEach(Thread::start);
  }

  /**
   * Starts {@code threads} callers making {@code calls} calls each.
   *
   * @param clear which failures count as a clear exception
   */
  static CallLoad start(String name, int threads, int calls, Op op, Predicate<Throwable> clear) {
    return new CallLoad(name, threads, calls, op, clear);
  }

  /**
   * A clear failure: an {@link java.io.IOException} whose message, or a cause's, names the
   * server's address (as {@code 127.0.0.1:port} or {@code localhost:port}).
   */
  static Predicate<Throwable> ioExceptionNaming(InetSocketAddress server) {
    String ip = "127.0.0.1:" + server.getPort();
    String host = "localhost:" + server.getPort();
    return t -> {
      if (!(t instanceof java.io.IOException)) {
        return false;
      }
      for (Throwable c = t; c != null; c = c.getCause()) {
        String m = c.getMessage();
        if (m != null && (m.contains(ip) || m.contains(host))) {
          return true;
        }
      }
      return false;
    };
  }

  /** Calls that have ended so far. */
  long ended() {
    return ended.sum();
  }

  /** {@link System#nanoTime()} when the callers started. */
  long startNanos() {
    return startNanos;
  }

  private void callLoop(int thread) {
    Tally tally = tallies[thread];
    try {
      for (int i = 0; i < calls && !stop; i++) {
        long start = System.nanoTime();
        try {
          op.call(thread, i);
          tally.succeeded++;
        } catch (AssertionError e) {
          tally.wrong++;
          sample(tally, "wrong result: " + e.getMessage());
        } catch (Throwable e) {
          if (tally.firstFailureNanos == 0) {
            tally.firstFailureNanos = System.nanoTime();
          }
          String type = e.getClass().getSimpleName();
          tally.failures.merge(type, 1L, Long::sum);
          if (!clear.test(e)) {
            tally.unclear++;
            sample(tally, "unclear: " + describe(e));
          } else if (tally.failures.get(type) == 1) {
            sample(tally, describe(e));
          }
        }
        long took = System.nanoTime() - start;
        if (took > tally.maxNanos) {
          tally.maxNanos = took;
          tally.slowest = "thread " + thread + " call " + i;
        }
        ended.increment();
      }
    } finally {
      done.countDown();
    }
  }

  private static void sample(Tally tally, String text) {
    if (tally.samples.size() < SAMPLES_PER_CALLER) {
      tally.samples.add(text);
    }
  }

  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(e.toString());
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      sb.append(" <- ").append(c);
    }
    return sb.toString();
  }

  /**
   * Waits until every call ended or {@code bound} (from the start) passed; in the latter case
   * stops the callers from issuing more and gives the calls in flight {@code drain} to end.
   */
  Result finish(Duration bound, Duration drain) throws InterruptedException {
    long boundNanos = startNanos + bound.toNanos();
    boolean all = done.await(boundNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    long endNanos = System.nanoTime();
    if (!all) {
      stop = true;
      done.await(drain.toNanos(), TimeUnit.NANOSECONDS);
    }
    int stuck = (int) done.getCount();
    for (Thread caller : callers) {
      caller.join(stuck == 0 ? 5_000 : 1); // past their last call; let them end
    }
    long succeeded = 0;
    long wrong = 0;
    long unclear = 0;
    long max = 0;
    long firstFailure = 0;
    String slowest = "none";
    Map<String, Long> failures = new TreeMap<>();
    List<String> samples = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      if (callers.get(t).isAlive()) {
        continue; // still inside a call: its tally is not ours to read (isAlive false is)
      }
      Tally tally = tallies[t];
      succeeded += tally.succeeded;
      wrong += tally.wrong;
      unclear += tally.unclear;
      tally.failures.forEach((k, v) -> failures.merge(k, v, Long::sum));
      if (samples.size() < 8) {
        samples.addAll(tally.samples);
      }
      if (tally.maxNanos > max) {
        max = tally.maxNanos;
        slowest = tally.slowest;
      }
      if (tally.firstFailureNanos != 0
          && (firstFailure == 0 || tally.firstFailureNanos < firstFailure)) {
        firstFailure = tally.firstFailureNanos;
      }
    }
    return new Result((long) threads * calls, ended.sum(), succeeded, wrong, unclear, failures,
        samples, max, slowest, firstFailure, Duration.ofNanos(endNanos - startNanos), !all,
        stuck);
  }

  /** Stops issuing, interrupts callers still in a call and joins them (10 s at most). */
  @Override
  public void close() throws InterruptedException {
    stop = true;
    if (!done.await(10, TimeUnit.SECONDS)) {
      callers.forEach(Thread::interrupt);
    }
    for (Thread caller : callers) {
      caller.join(10_000);
    }
  }
}

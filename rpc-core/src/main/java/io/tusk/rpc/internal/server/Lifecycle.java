package io.tusk.rpc.internal.server;

import io.tusk.rpc.internal.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one server runtime: new, started (or failed to start), stopping gracefully or at
 * once, terminated; the threads it started and the shutdown deadlines.
 *
 * <p>Stages only move forward: {@link #beginStart()} once, then {@link #startFailed()} or the
 * threads run; {@link #beginShutdown} / {@link #beginShutdownNow()} at any stage. The flags the
 * server's threads poll ({@link #isStopping()}, {@link #isStoppingNow()}) are volatile; the rest
 * is guarded by this object's monitor. What to wake, drop or close is the runtime's business: the
 * {@code begin*} methods only say whether there is a started server to act on.
 *
 * <p>Shutdown on the responder thread, in {@link ServerRuntime#shutdownStep()}: handlers get the
 * grace ({@link #handlersDone}), are interrupted when it ends, and get {@link #HANDLER_STOP_NANOS}
 * more; connections then close once their responses are out, all of them
 * {@link #RESPONSE_DRAIN_NANOS} after the grace ({@link #forceCloseConnections}).
 */
final class Lifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);
  /** How long responses may still drain once the handlers are done, past the grace deadline. */
  static final long RESPONSE_DRAIN_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** How long interrupted handlers get to end before shutdown stops waiting for them. */
  static final long HANDLER_STOP_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final String name;
  private boolean started;
  private volatile boolean stopping;
  private volatile boolean stoppingNow;
  /** Real time ({@link System#nanoTime()}): {@code close()} waits for the grace in real time. */
  private long graceDeadline;
  private boolean handlersForced;
  private long responsesDeadline;
  private boolean responsesDeadlineSet;
  private final List<Thread> threads = new ArrayList<>();
  private final List<Thread> handlers = new ArrayList<>();

  Lifecycle(String name) {
    this.name = name;
  }

  /** Marks the start; refuses a second start and a start after shutdown. */
  synchronized void beginStart() {
    if (started) {
      throw new IllegalStateException("server " + name + " already started");
    }
    if (stopping) {
      throw new IllegalStateException("server " + name + " was shut down");
    }
    started = true;
  }

  /** A thread to start with the server (not started here); handlers are tracked apart. */
  synchronized void add(Thread thread, boolean handler) {
    threads.add(thread);
    if (handler) {
      handlers.add(thread);
    }
  }

  /** Starts every thread added. */
  synchronized void startThreads() {
    for (Thread t : threads) {
      t.start();
    }
  }

  /** The start failed before any thread ran: forget them; the server counts as shut down. */
  synchronized void startFailed() {
    threads.clear();
    handlers.clear();
    stopping = true;
  }

  /**
   * Begins a graceful shutdown with {@code grace} for queued and running calls.
   *
   * @return true when this call began the shutdown of a started server (wake its threads)
   */
  synchronized boolean beginShutdown(Duration grace) {
    if (stopping) {
      return false;
    }
    graceDeadline = System.nanoTime() + grace.toNanos();
    stopping = true;
    return started;
  }

  /**
   * Stops at once, also after {@link #beginShutdown}: the grace is over now.
   *
   * @return true when the server was started (interrupt, drop and close)
   */
  synchronized boolean beginShutdownNow() {
    graceDeadline = System.nanoTime();
    stoppingNow = true;
    stopping = true;
    return started;
  }

  boolean isStopping() {
    return stopping;
  }

  boolean isStoppingNow() {
    return stoppingNow;
  }

  synchronized void interruptHandlers() {
    for (Thread t : handlers) {
      t.interrupt();
    }
  }

  /** Handler threads alive now. */
  synchronized int liveHandlers() {
    int alive = 0;
    for (Thread t : handlers) {
      if (t.isAlive()) {
        alive++;
      }
    }
    return alive;
  }

  /**
   * Shutdown, responder thread: are the handlers done? At the grace deadline they are interrupted
   * and {@code dropQueued} runs once; {@link #HANDLER_STOP_NANOS} later shutdown goes on without
   * them (logged).
   */
  synchronized boolean handlersDone(long now, Runnable dropQueued) {
    if (liveHandlers() == 0) {
      return true;
    }
    if (!handlersForced && now - graceDeadline >= 0) {
      handlersForced = true;
      LOG.info("{}: shutdown grace over, interrupting handlers", name);
      interruptHandlers();
      dropQueued.run();
    }
    if (!handlersForced || now - graceDeadline < HANDLER_STOP_NANOS) {
      return false;
    }
    LOG.warn("{}: handlers did not stop after interruption; closing connections anyway", name);
    return true;
  }

  /**
   * Shutdown, once the handlers are done: close connections with responses still queued too?
   * True when stopping now or {@link #RESPONSE_DRAIN_NANOS} after the grace (or after the first
   * call, if that was later).
   */
  synchronized boolean forceCloseConnections(long now) {
    if (!responsesDeadlineSet) {
      responsesDeadlineSet = true;
      responsesDeadline = Math.max(now, graceDeadline) + RESPONSE_DRAIN_NANOS;
    }
    return stoppingNow || now - responsesDeadline >= 0;
  }

  /** Waits up to {@code timeout} for every thread; true when terminated. */
  boolean awaitTermination(Duration timeout) throws InterruptedException {
    List<Thread> all;
    synchronized (this) {
      all = new ArrayList<>(threads);
    }
    Threads.joinAll(all, timeout);
    return isTerminated();
  }

  /** Shut down and every thread ended. */
  synchronized boolean isTerminated() {
    return stopping && aliveThreads().isEmpty();
  }

  /** Names of the threads still alive. */
  synchronized List<String> aliveThreads() {
    List<String> alive = new ArrayList<>();
    for (Thread t : threads) {
      if (t.isAlive()) {
        alive.add(t.getName());
      }
    }
    return alive;
  }
}

package io.tusk.rpc.examples.bench;

import io.tusk.rpc.client.Client;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of {@code tusk bench}: N threads, each calling one engine's echo in a closed
 * loop (the next call starts when the previous one has answered) through one shared, named
 * {@link Client}, as Hadoop's RPCCallBenchmark does.
 *
 * <p>{@link #start()} makes one call first, so that an unreachable server fails the run at once
 * with a clear message. Every call after it is counted ({@link #calls()}, for progress lines);
 * while {@link #measure measuring} each thread also records the call's latency in its own
 * {@link LatencyHistogram}. The first failing call stops the run: {@link #awaitFailure} returns
 * it.
 *
 * <p>Threads: the load threads are called {@code <name>-1 .. <name>-N} and the client's own
 * threads {@code <name>-receiver@host:port}, so {@link #threadPrefix()} finds all the client-side
 * threads for CPU accounting. {@link #close()} stops the load threads, stops the proxies, closes
 * the client and joins every thread it started.
 */
public final class LoadGenerator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoadGenerator.class);
  private static final Duration JOIN_GRACE = Duration.ofSeconds(10);

  private final String name;
  private final InetSocketAddress server;
  private final Client client;
  private final List<Object> proxies = new ArrayList<>();
  private final List<Worker> workers = new ArrayList<>();
  private final LongAdder calls = new LongAdder();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final CountDownLatch failed = new CountDownLatch(1);
  private volatile boolean measuring;
  private volatile boolean stopping;
  private boolean closed;

  /**
   * Creates the client, the proxies and the (not yet started) load threads.
   *
   * @param engine whose echo call to make
   * @param server where the {@link BenchServer} listens
   * @param threads load threads, at least 1
   * @param messageSize payload bytes per call
   * @param name prefix of every client-side thread name
   */
  public LoadGenerator(BenchEngine engine, InetSocketAddress server, int threads,
      int messageSize, String name) throws IOException {
    this(engine, server, threads, messageSize, name, new Configuration());
  }

  /**
   * {@link #LoadGenerator(BenchEngine, InetSocketAddress, int, int, String)} with the client's
   * settings from {@code settings} (copied; connect retries are always off).
   */
  public LoadGenerator(BenchEngine engine, InetSocketAddress server, int threads,
      int messageSize, String name, Configuration settings) throws IOException {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, not " + threads);
    }
    this.name = name;
    this.server = server;
    this.client = Client.builder().name(name).configuration(withoutConnectRetries(settings))
        .build();
    byte[] payload = new byte[messageSize];
    new Random(42).nextBytes(payload);
    try {
      for (int i = 1; i <= threads; i++) {
        Object proxy = engine.newProxy(client, server);
        proxies.add(proxy);
        workers.add(new Worker(name + "-" + i, engine.newCall(proxy, payload)));
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Every client-side thread (load threads and the client's receivers) starts with this. */
  public String threadPrefix() {
    return name + "-";
  }

  /**
   * Makes one call on the calling thread, which opens the connection, then starts the load
   * threads. The call is not counted.
   *
   * @throws IOException naming the server when that call fails; no thread is started then
   */
  public void start() throws IOException {
    try {
      workers.get(0).call.call();
    } catch (IOException e) {
      throw new IOException("cannot call echo on " + server.getHostString() + ":"
          + server.getPort() + ": " + e.getMessage(), e);
    }
    for (Worker worker : workers) {
      worker.thread.start();
    }
  }

  /** Calls answered so far, measured or not. */
  public long calls() {
    return calls.sum();
  }

  /** Starts or stops recording latencies. */
  public void measure(boolean on) {
    measuring = on;
  }

  /**
   * Waits up to {@code timeout} for a call to fail.
   *
   * @return the failure, or null when none happened in time
   */
  public Throwable awaitFailure(long timeout, TimeUnit unit) throws InterruptedException {
    return failed.await(timeout, unit) ? failure.get() : null;
  }

  /**
   * Stops the load threads and returns the latencies they recorded while measuring. Waits for the
   * calls in flight to answer.
   */
  public LatencyHistogram stop() {
    stopping = true;
    join();
    LatencyHistogram all = new LatencyHistogram();
    for (Worker worker : workers) {
      if (!worker.thread.isAlive()) {
        all.add(worker.latencies);
      }
    }
    return all;
  }

  /** Stops the load threads, the proxies and the client, and joins their threads. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopping = true;
    join();
    for (Object proxy : proxies) {
      try {
        BenchEngine.stopProxy(proxy);
      } catch (IOException e) {
        LOG.warn("stopping a {} proxy failed", name, e);
      }
    }
    // Fails any call still waiting, so a load thread stuck on a dead server ends too.
    client.close();
    join();
  }

  /**
   * Hadoop's client settings, but a refused connection fails at once instead of after ten
   * retries a second apart: a benchmark's server is started first, and a typo in -p should not
   * cost ten seconds.
   */
  private static Configuration withoutConnectRetries(Configuration settings) {
    return new Configuration(settings).setInt(IpcKeys.CLIENT_CONNECT_MAX_RETRIES, 0);
  }

  private void join() {
    long deadline = System.nanoTime() + JOIN_GRACE.toNanos();
    for (Worker worker : workers) {
      if (worker.thread.getState() == Thread.State.NEW) {
        continue;
      }
      try {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          worker.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (worker.thread.isAlive()) {
        LOG.warn("{} is still calling after {}", worker.thread.getName(), JOIN_GRACE);
      }
    }
  }

  /** One load thread and what it recorded. */
  private final class Worker implements Runnable {
    final Thread thread;
    final BenchEngine.EchoCall call;
    /** Written only by {@link #thread}; read after it has ended. */
    final LatencyHistogram latencies = new LatencyHistogram();

    Worker(String threadName, BenchEngine.EchoCall call) {
      this.call = call;
      this.thread = new Thread(this, threadName);
      thread.setDaemon(true);
    }

    @Override
    public void run() {
      try {
        while (!stopping) {
          long start = System.nanoTime();
          call.call();
          long end = System.nanoTime();
          calls.increment();
          if (measuring) {
            latencies.record(end - start);
          }
        }
      } catch (IOException | RuntimeException e) {
        if (!stopping && failure.compareAndSet(null, e)) {
          LOG.debug("{}: echo failed", thread.getName(), e);
          failed.countDown();
        }
      }
    }
  }
}

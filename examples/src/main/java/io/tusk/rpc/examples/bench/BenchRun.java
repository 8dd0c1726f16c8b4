package io.tusk.rpc.examples.bench;

import io.tusk.rpc.conf.Configuration;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One run of {@code tusk bench}: starts a {@link BenchServer} (unless {@code handlers} is 0),
 * starts a {@link LoadGenerator} (unless {@code clients} is 0), lets them run for the warm-up and
 * then for the measured window, printing a progress line every second, and prints a summary of the
 * measured window only, in the words of Hadoop's RPCCallBenchmark:
 *
 * <pre>
 * Total calls per second: 23400
 * Latency (us): p50=80.1 p99=200.3 p99.9=450.2 max=1200.0
 * CPU time per call on client: 35.2 us
 * CPU time per call on server: 20.1 us
 * </pre>
 *
 * <p>CPU time is {@link ThreadCpu thread CPU time} over the measured window divided by the calls
 * answered in it: on the client, the load threads plus the RPC client's receiver; on the server,
 * every thread of the server (listener, readers, handlers, responder; Hadoop counts only
 * handlers). Without clients in this process the calls are those the server answered
 * ({@link BenchServer#metrics()}); without a server the server's CPU is not known here.
 *
 * <p>Interrupting the thread that runs it ends the run early: the measured window closes there
 * and the summary is printed for what was measured. Everything started is closed before
 * {@link #run} returns.
 */
public final class BenchRun {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  /**
   * What to run.
   *
   * @param engine the engine the clients use
   * @param clients load threads; 0 = serve only
   * @param handlers server handler threads; 0 = no server here, the clients call {@code host:port}
   * @param readers server reader threads
   * @param messageSize payload bytes per call
   * @param seconds length of the measured window
   * @param warmupSeconds length of the warm-up before it
   * @param host where the server binds, or the server the clients call when there is none here
   * @param port the server's port (0 = ephemeral when the server runs here)
   * @param name prefix of every thread name of the run
   * @param conf settings for the server and the client (e.g. a Hadoop configuration directory's);
   *     the options above win over them, and the clients never retry connecting
   */
  public record Settings(BenchEngine engine, int clients, int handlers, int readers,
      int messageSize, int seconds, int warmupSeconds, String host, int port, String name,
      Configuration conf) {
    public Settings {
      java.util.Objects.requireNonNull(conf, "conf");
    }

    /** The settings without a configuration (every default). */
    public Settings(BenchEngine engine, int clients, int handlers, int readers,
        int messageSize, int seconds, int warmupSeconds, String host, int port, String name) {
      this(engine, clients, handlers, readers, messageSize, seconds, warmupSeconds, host, port,
          name, new Configuration());
    }
  }

  private final Settings settings;
  private final PrintStream out;
  private boolean interrupted;

  private BenchRun(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /**
   * Runs the benchmark, printing progress and the summary to {@code out}.
   *
   * @return true when calls were measured (or, serving only, when the run went through)
   * @throws IOException when the server cannot start or a call fails
   */
  public static boolean run(Settings settings, PrintStream out) throws IOException {
    return new BenchRun(settings, out).run();
  }

  private boolean run() throws IOException {
    Settings s = settings;
    out.printf(Locale.ROOT, "tusk bench: engine %s, %d client thread(s), %d handler(s), "
        + "%d reader(s), %d-byte messages, %d s warm-up + %d s measured%n", s.engine().cliName(),
        s.clients(), s.handlers(), s.readers(), s.messageSize(), s.warmupSeconds(), s.seconds());
    boolean cpu = ThreadCpu.available();
    BenchServer server = null;
    LoadGenerator load = null;
    try {
      InetSocketAddress target;
      if (s.handlers() > 0) {
        server = BenchServer.start(s.host(), s.port(), s.handlers(), s.readers(),
            s.name() + "-server", s.conf());
        InetSocketAddress bound = server.address();
        out.println("Server listening on " + bound.getAddress().getHostAddress() + ":"
            + bound.getPort() + " (writable and protobuf echo)");
        target = bound.getAddress().isAnyLocalAddress()
            ? new InetSocketAddress("127.0.0.1", bound.getPort()) : bound;
      } else {
        target = new InetSocketAddress(s.host(), s.port());
        out.println("Calling the server at " + s.host() + ":" + s.port());
      }
      if (s.clients() > 0) {
        load = new LoadGenerator(s.engine(), target, s.clients(), s.messageSize(),
            s.name() + "-client", s.conf());
        load.start();
      }
      BenchServer srv = server;
      LongSupplier calls = load != null ? load::calls : () -> srv.metrics().callsTotal();

      tick(s.warmupSeconds(), "warm-up", calls, load);

      String clientPrefix = load != null ? load.threadPrefix() : null;
      String serverPrefix = server != null ? server.threadPrefix() : null;
      ThreadCpu.Snapshot clientCpu0 = cpu && load != null ? ThreadCpu.snapshot(clientPrefix) : null;
      ThreadCpu.Snapshot serverCpu0 = cpu && server != null ? ThreadCpu.snapshot(serverPrefix)
          : null;
      // Interrupted during the warm-up: nothing is measured.
      boolean measuring = !interrupted;
      long calls0 = calls.getAsLong();
      long start = System.nanoTime();
      if (load != null) {
        load.measure(measuring);
      }
      tick(measuring ? s.seconds() : 0, "", calls, load);
      long measured = measuring ? calls.getAsLong() - calls0 : 0;
      long elapsed = System.nanoTime() - start;
      if (load != null) {
        load.measure(false);
      }
      long clientCpu = clientCpu0 != null ? ThreadCpu.snapshot(clientPrefix).since(clientCpu0) : -1;
      long serverCpu = serverCpu0 != null ? ThreadCpu.snapshot(serverPrefix).since(serverCpu0) : -1;
      LatencyHistogram latencies = load != null ? load.stop() : null;

      return summary(measured, elapsed, latencies, clientCpu, serverCpu, cpu);
    } finally {
      try {
        if (load != null) {
          load.close();
        }
      } finally {
        if (server != null) {
          server.close();
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /**
   * Lets the run go on for {@code seconds}, printing the calls of every second. Returns early when
   * the thread is interrupted; throws when a call fails.
   */
  private void tick(int seconds, String label, LongSupplier calls, LoadGenerator load)
      throws IOException {
    long start = System.nanoTime();
    long lastCalls = calls.getAsLong();
    long lastTime = start;
    String prefix = label.isEmpty() ? "" : label + " ";
    for (int i = 1; i <= seconds && !interrupted; i++) {
      long deadline = start + i * SECOND;
      try {
        waitUntil(deadline, load);
      } catch (InterruptedException e) {
        interrupted = true;
      }
      long now = System.nanoTime();
      long total = calls.getAsLong();
      double rate = (total - lastCalls) * (double) SECOND / Math.max(1, now - lastTime);
      out.printf(Locale.ROOT, "%s%3d s: %,.0f calls/s%n", prefix, i, rate);
      lastCalls = total;
      lastTime = now;
    }
  }

  private static void waitUntil(long deadline, LoadGenerator load)
      throws InterruptedException, IOException {
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      if (load == null) {
        TimeUnit.NANOSECONDS.sleep(left);
        continue;
      }
      Throwable failure = load.awaitFailure(left, TimeUnit.NANOSECONDS);
      if (failure != null) {
        throw new IOException("echo call failed: " + describe(failure), failure);
      }
    }
  }

  private boolean summary(long calls, long elapsedNanos, LatencyHistogram latencies,
      long clientCpuNanos, long serverCpuNanos, boolean cpu) {
    Settings s = settings;
    double seconds = elapsedNanos / (double) SECOND;
    out.println("====== Results ======");
    out.printf(Locale.ROOT, "Measured: %d calls %sin %.2f s (after %d s warm-up)%n", calls,
        s.clients() == 0 ? "served " : "", seconds, s.warmupSeconds());
    if (calls == 0) {
      out.println(s.clients() == 0 ? "No calls were served." : "No calls!");
      return s.clients() == 0;
    }
    out.println("Total calls per second: " + Math.round(calls / Math.max(seconds, 1e-9)));
    String notHere = "n/a (no clients in this process)";
    if (latencies != null) {
      out.printf(Locale.ROOT, "Latency (us): p50=%s p99=%s p99.9=%s max=%s%n",
          micros(latencies.percentile(50)), micros(latencies.percentile(99)),
          micros(latencies.percentile(99.9)), micros(latencies.max()));
    } else {
      out.println("Latency (us): " + notHere);
    }
    String noCpu = "n/a (thread CPU time is not supported by this JVM)";
    out.println("CPU time per call on client: " + (s.clients() == 0 ? notHere
        : cpu ? micros(clientCpuNanos / (double) calls) + " us" : noCpu));
    out.println("CPU time per call on server: " + (s.handlers() == 0
        ? "n/a (server not in this process)"
        : cpu ? micros(serverCpuNanos / (double) calls) + " us" : noCpu));
    return true;
  }

  private static String micros(double nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1000);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getName() : message;
  }
}

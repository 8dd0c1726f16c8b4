package io.tusk.rpc.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code tusk bench} driven in-process through {@link Tusk#run}: short runs of each engine, the
 * server-only and client-only halves against each other, and bad arguments. Every thread of a run
 * carries the test's unique name, so each test ends by proving that none survives.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class BenchCommandTest {
  private static final Pattern TOTAL =
      Pattern.compile("(?m)^Total calls per second: (\\d+)$");
  private static final Pattern LATENCY = Pattern.compile(
      "(?m)^Latency \\(us\\): p50=[\\d.]+ p99=[\\d.]+ p99\\.9=[\\d.]+ max=[\\d.]+$");
  private static final Pattern CLIENT_CPU =
      Pattern.compile("(?m)^CPU time per call on client: \\d+\\.\\d us$");
  private static final Pattern SERVER_CPU =
      Pattern.compile("(?m)^CPU time per call on server: \\d+\\.\\d us$");
  private static final Pattern LISTENING =
      Pattern.compile("Server listening on 127\\.0\\.0\\.1:(\\d+) ");

  private final String name = Threads.uniqueName("tusk-bench-test");
  private final Tusk tusk = new Tusk(List.of(new BenchCommand(name)));

  @AfterEach
  void noThreadSurvives() {
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
  }

  private record Result(int exitCode, String out, String err) {}

  private Result bench(String... args) {
    return bench(new ByteArrayOutputStream(), args);
  }

  private Result bench(ByteArrayOutputStream outBytes, String... args) {
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    String[] line = new String[args.length + 1];
    line[0] = "bench";
    System.arraycopy(args, 0, line, 1, args.length);
    PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    int code = tusk.run(line, out, new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    out.flush();
    return new Result(code, outBytes.toString(StandardCharsets.UTF_8),
        errBytes.toString(StandardCharsets.UTF_8));
  }

  private static long total(String out) {
    Matcher m = TOTAL.matcher(out);
    assertThat(m.find()).as("summary line in:%n%s", out).isTrue();
    return Long.parseLong(m.group(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"writable", "protobuf"})
  void runsOneSecondWithTwoClientThreadsAndPrintsTheSummary(String engine) {
    Result r = bench("-e", engine, "-c", "2", "-s", "2", "-r", "1", "-m", "100", "-t", "1",
        "-w", "0");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(Tusk.OK);
    assertThat(r.err()).isEmpty();
    assertThat(total(r.out())).isPositive();
    assertThat(r.out()).containsPattern(LATENCY).containsPattern(CLIENT_CPU)
        .containsPattern(SERVER_CPU).contains("engine " + engine)
        .containsPattern("(?m)^  1 s: [\\d,]+ calls/s$");
  }

  @Test
  void warmUpIsPrintedApartFromTheMeasuredSeconds() {
    Result r = bench("-c", "1", "-s", "1", "-m", "0", "-t", "1", "-w", "1");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(Tusk.OK);
    assertThat(r.out()).containsPattern("(?m)^warm-up   1 s: ")
        .containsPattern("(?m)^  1 s: ").contains("(after 1 s warm-up)");
    assertThat(total(r.out())).isPositive();
  }

  @Test
  void serverOnlyRunServesAClientOnlyRunUntilInterrupted() throws Exception {
    PortWatcher serverOut = new PortWatcher();
    CompletableFuture<Result> server = new CompletableFuture<>();
    Thread runner = new Thread(() -> server.complete(
        bench(serverOut, "-c", "0", "-s", "2", "-p", "0", "-t", "50", "-w", "0")),
        name + "-server-only-run");
    runner.start();
    try {
      int port = serverOut.port.get(20, TimeUnit.SECONDS);

      Result client = bench("-s", "0", "-c", "2", "-h", "127.0.0.1", "-p", String.valueOf(port),
          "-e", "writable", "-t", "1", "-w", "0");

      assertThat(client.exitCode()).as(client.err()).isEqualTo(Tusk.OK);
      assertThat(total(client.out())).isPositive();
      assertThat(client.out()).containsPattern(CLIENT_CPU)
          .contains("CPU time per call on server: n/a (server not in this process)");
    } finally {
      runner.interrupt();
    }
    Result served = server.get(20, TimeUnit.SECONDS);
    runner.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(served.exitCode()).as(served.err()).isEqualTo(Tusk.OK);
    assertThat(served.out()).contains("calls served in").containsPattern(SERVER_CPU)
        .contains("CPU time per call on client: n/a (no clients in this process)");
    assertThat(total(served.out())).isPositive();
  }

  @Test
  void unreachableServerFailsAtOnceWithOneLine() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }

    Result r = bench("-s", "0", "-p", String.valueOf(port), "-t", "1", "-w", "0");

    assertThat(r.exitCode()).isEqualTo(Tusk.FAILED);
    assertThat(r.err().lines().toList()).singleElement().asString()
        .startsWith("tusk bench: cannot call echo on 127.0.0.1:" + port + ": ");
    assertThat(r.out()).doesNotContain("Total calls per second");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "-e thrift", "-c -1", "-s -2", "-r 0", "-t 0", "-w -1", "-m 67108865", "-m big",
      "-c 0 -s 0", "-s 0 -c 2", "-p 65536", "-x", "extra", "-h"})
  void badArgumentsExitWithUsageAndOneLineReason(String args) {
    Result r = bench(args.split(" "));

    assertThat(r.exitCode()).isEqualTo(Tusk.USAGE);
    assertThat(r.out()).isEmpty();
    List<String> lines = r.err().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("tusk bench: ");
    assertThat(lines.get(1)).isEqualTo("Try 'tusk bench --help'.");
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
    Result r = bench("--help");

    assertThat(r.exitCode()).isEqualTo(Tusk.OK);
    assertThat(r.out()).contains("Usage: tusk bench [-e writable|protobuf]")
        .contains("-e, --engine writable|protobuf").contains("-c, --clients N")
        .contains("-s, --server-threads N").contains("-r, --server-readers N")
        .contains("-m, --message-size BYTES").contains("-t, --time SECONDS")
        .contains("-w, --warmup SECONDS").contains("-h, --host HOST").contains("-p, --port PORT")
        .contains("(default 1024)");
  }

  /** Standard output that completes {@link #port} when the server's address is printed. */
  private static final class PortWatcher extends ByteArrayOutputStream {
    final CompletableFuture<Integer> port = new CompletableFuture<>();

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      super.write(b, off, len);
      Matcher m = LISTENING.matcher(toString(StandardCharsets.UTF_8));
      if (m.find()) {
        port.complete(Integer.parseInt(m.group(1)));
      }
    }

    @Override
    public synchronized void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }
  }
}

package io.tusk.rpc.examples.cli;

import io.tusk.rpc.examples.bench.BenchEngine;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.examples.bench.BenchRun;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code tusk bench}: a load generator whose options are those of Hadoop's RPCCallBenchmark
 * ({@code -e -c -s -r -m -t -h -p}, with Hadoop's defaults for {@code -e -r -m -t}), so the two
 * compare one to one. Unlike Hadoop, {@code -c} and {@code -s} default to 1 (Hadoop: 0, and one of
 * them must be given), {@code -h} to the loopback address, and a server-only run ends after its
 * time instead of running forever; {@code -w} (warm-up) is Tusk's own. The work is done by
 * {@link BenchRun}; this class reads and checks the options.
 */
final class BenchCommand implements Command {
  static final Option ENGINE = Option.value("writable|protobuf",
      "RPC engine the clients use (default protobuf)", "-e", "--engine");
  static final Option CLIENTS = Option.value("N",
      "client threads; 0 = server only (default 1)", "-c", "--clients");
  static final Option HANDLERS = Option.value("N",
      "server handler threads; 0 = client only, needs -p (default 1)", "-s", "--server-threads");
  static final Option READERS = Option.value("N",
      "server reader threads (default 1)", "-r", "--server-readers");
  static final Option MESSAGE = Option.value("BYTES",
      "payload bytes per call, at most 64 MiB (default 1024)", "-m", "--message-size");
  static final Option TIME = Option.value("SECONDS",
      "length of the measured window (default 15)", "-t", "--time");
  static final Option WARMUP = Option.value("SECONDS",
      "warm-up before it, not measured (default 2)", "-w", "--warmup");
  static final Option HOST = Option.value("HOST",
      "address the server binds, or the server to call with -s 0 (default 127.0.0.1)",
      "-h", "--host");
  static final Option PORT = Option.value("PORT",
      "server port; 0 = ephemeral, printed (default 0)", "-p", "--port");

  static final int MAX_MESSAGE = 64 << 20;

  private final String threadName;

  /** The command as {@code tusk} has it: thread names start with {@code tusk-bench}. */
  BenchCommand() {
    this("tusk-bench");
  }

  /** For tests: every thread of a run gets a name starting with {@code threadName}. */
  BenchCommand(String threadName) {
    this.threadName = threadName;
  }

  @Override
  public String name() {
    return "bench";
  }

  @Override
  public String summary() {
    return "Load generator, options as Hadoop's RPCCallBenchmark.";
  }

  @Override
  public String synopsis() {
    return "tusk bench [-e writable|protobuf] [-c N] [-s N] [-r N] [-m BYTES] [-t SECONDS] "
        + "[-w SECONDS] [-h HOST] [-p PORT] [--conf-dir DIR]";
  }

  @Override
  public String details() {
    return """
        Client threads call echo in a closed loop (writable: Calculator.echo(byte[]); protobuf:
        BenchmarkService.echo) over one shared connection; the server (-s > 0) hosts both.
        A progress line is printed every second; the summary covers the measured window only
        (-t seconds after -w seconds of warm-up): 'Total calls per second: N', latency
        percentiles, and thread CPU time per call on the client (load threads + receiver) and
        on the server (all its threads).
          in-process:   tusk bench -e protobuf -c 4 -s 4 -t 10
          server only:  tusk bench -c 0 -s 4 -p 9000 -t 60   (serves -w + -t seconds)
          client only:  tusk bench -s 0 -c 4 -h HOST -p 9000   (start the server first: the
                        clients make one call before the load and do not retry connecting)
        A server-only run prints 'Total calls per second' and its CPU time per call from the
        calls it served; interrupting a run in-process ends it early with a summary.
        The Writable engine answers a byte[] element by element (7 bytes a byte), as Hadoop's
        ObjectWritable does.""";
  }

  @Override
  public List<Option> options() {
    return List.of(ENGINE, CLIENTS, HANDLERS, READERS, MESSAGE, TIME, WARMUP, HOST, PORT,
        ConfDir.OPTION);
  }

  @Override
  public int run(CommandLine line, PrintStream out) throws Exception {
    return BenchRun.run(settings(line), out) ? Tusk.OK : Tusk.FAILED;
  }

  /**
   * The run {@code line} asks for; a {@link UsageException} says what is wrong with it.
   *
   * @throws IOException when the configuration directory cannot be read
   */
  BenchRun.Settings settings(CommandLine line) throws UsageException, IOException {
    line.expectPositionals(0, 0, "no arguments besides options");
    String engineName = line.value(ENGINE.name(), "protobuf");
    BenchEngine engine = BenchEngine.byName(engineName);
    if (engine == null) {
      throw new UsageException("option -e must be writable or protobuf, not '" + engineName + "'");
    }
    int clients = line.intValue(CLIENTS.name(), 1, 0, 10_000);
    int handlers = line.intValue(HANDLERS.name(), 1, 0, 10_000);
    int readers = line.intValue(READERS.name(), 1, 1, 1_000);
    int messageSize = line.intValue(MESSAGE.name(), 1024, 0, MAX_MESSAGE);
    int seconds = line.intValue(TIME.name(), 15, 1, 86_400);
    int warmup = line.intValue(WARMUP.name(), 2, 0, 3_600);
    String host = line.value(HOST.name(), "127.0.0.1").trim();
    int port = line.intValue(PORT.name(), 0, 0, 65_535);
    if (host.isEmpty()) {
      throw new UsageException("option -h needs a host name or address");
    }
    if (clients == 0 && handlers == 0) {
      throw new UsageException("nothing to run: -c 0 (no clients) and -s 0 (no server)");
    }
    if (handlers == 0 && port == 0) {
      throw new UsageException("-s 0 runs clients only: give the server's port with -p");
    }
    Configuration conf = ConfDir.load(line);
    return new BenchRun.Settings(engine, clients, handlers, readers, messageSize, seconds, warmup,
        host, port, threadName, conf);
  }
}

package io.tusk.rpc.examples.cli;

import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.examples.ExampleServer;
import io.tusk.rpc.testing.Threads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link ExampleServer} on 127.0.0.1 (ephemeral port, unique thread names) and a way to run
 * {@code tusk} in-process against it with captured output. {@link #close()} stops the server and
 * proves that neither its threads nor the command-line client's survive.
 */
final class CliHarness implements AutoCloseable {
  /** What one run of {@code tusk} did. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  final String name = Threads.uniqueName("cli-srv");
  final ExampleServer server;

  CliHarness() throws IOException {
    server = ExampleServer.start(new Configuration(), "127.0.0.1", 0, 2, 1, name);
  }

  /** {@code 127.0.0.1:PORT} of the server. */
  String hostPort() {
    return "127.0.0.1:" + server.address().getPort();
  }

  /** Runs {@code tusk args...}. */
  static Result tusk(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = new Tusk().run(args, o, e);
    }
    return new Result(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  /** Runs {@code tusk COMMAND HOST:PORT rest...} against this server. */
  Result tuskAt(String command, String... rest) {
    List<String> args = new ArrayList<>();
    args.add(command);
    args.add(hostPort());
    args.addAll(List.of(rest));
    return tusk(args.toArray(String[]::new));
  }

  /** {@code 127.0.0.1:PORT} where nothing listens: a port just bound and closed again. */
  static String deadHostPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + socket.getLocalPort();
    }
  }

  /** Asserts that no thread of the command-line client is alive. */
  static void assertClientThreadsGone() {
    Threads.assertNoneAlive(RemoteOptions.CLIENT_NAME, Duration.ofSeconds(10));
  }

  @Override
  public void close() {
    server.close();
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
    assertClientThreadsGone();
  }
}

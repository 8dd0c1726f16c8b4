package io.tusk.rpc.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.RPC;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.examples.Calculator;
import io.tusk.rpc.examples.ExampleServer;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tusk serve} run in-process on its own thread, called over loopback by a proxy and by
 * {@code tusk call} and {@code tusk list}, then interrupted.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class ServeCommandTest {
  @Test
  void serveListsItsProtocolsAnswersProxiesCallAndListAndStopsCleanlyWhenInterrupted(
      @TempDir Path dir) throws Exception {
    Path conf = dir.resolve("server.xml");
    Files.writeString(conf, """
        <configuration>
          <property><name>ipc.server.handler.count</name><value>3</value></property>
        </configuration>
        """);
    LineQueue out = new LineQueue();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread serving = new Thread(() -> exit.complete(new Tusk().run(new String[] {"serve",
        "--port", "0", "--readers", "2", "--conf", conf.toString()}, out.printStream(),
        new PrintStream(err, true))), "serve-test");
    serving.start();

    String banner = out.await("Serving on ", Duration.ofSeconds(20));
    assertThat(out.await("  io.tusk.rpc.examples.Calculator", Duration.ofSeconds(5)))
        .contains("version 1").contains("Writable engine (RPC_WRITABLE)");
    assertThat(out.await("  io.tusk.rpc.examples.KeyValueProtocol", Duration.ofSeconds(5)))
        .contains("version 1").contains("protobuf engine (RPC_PROTOCOL_BUFFER)");
    out.await("Press Ctrl-C to stop.", Duration.ofSeconds(5));
    // the settings file and the options both reached the server
    assertThat(Threads.alive("tusk-serve")).filteredOn(n -> n.contains("handler")).hasSize(3);
    assertThat(Threads.alive("tusk-serve")).filteredOn(n -> n.contains("reader")).hasSize(2);

    InetSocketAddress address = CommandLine.hostPort(banner.substring("Serving on ".length()));
    Configuration clientConf = ExampleServer.withEngines(new Configuration());
    Calculator calculator = RPC.getProxy(Calculator.class, Calculator.VERSION, address,
        clientConf);
    try {
      assertThat(calculator.add(40, 2)).isEqualTo(42);
    } finally {
      RPC.stopProxy(calculator);
    }

    String hostPort = address.getHostString() + ":" + address.getPort();
    ByteArrayOutputStream callOut = new ByteArrayOutputStream();
    assertThat(new Tusk().run(new String[] {"call", hostPort, "--protocol",
        "io.tusk.rpc.examples.KeyValueProtocol", "put", "{\"key\":\"k\",\"value\":\"aGk=\"}"},
        new PrintStream(callOut, true), new PrintStream(err, true))).isZero();
    assertThat(new Tusk().run(new String[] {"call", hostPort, "--protocol",
        "io.tusk.rpc.examples.KeyValueProtocol", "get", "{\"key\":\"k\"}"},
        new PrintStream(callOut, true), new PrintStream(err, true))).isZero();
    assertThat(callOut.toString(StandardCharsets.UTF_8)).contains("\"value\": \"aGk=\"");
    ByteArrayOutputStream listOut = new ByteArrayOutputStream();
    assertThat(new Tusk().run(new String[] {"list", hostPort, "--protocol",
        "io.tusk.rpc.examples.Calculator"}, new PrintStream(listOut, true),
        new PrintStream(err, true))).isZero();
    assertThat(listOut.toString(StandardCharsets.UTF_8)).contains("RPC_WRITABLE: 1")
        .containsPattern("0x[0-9a-f]{8} +-?\\d+  add");

    serving.interrupt();
    assertThat(exit.get(20, TimeUnit.SECONDS)).as("stderr: %s", err).isZero();
    out.await("Stopped.", Duration.ofSeconds(5));
    Threads.assertNoneAlive("tusk-serve", Duration.ofSeconds(10));
    Threads.assertNoneAlive("tusk-cli", Duration.ofSeconds(10));
  }

  @Test
  void badArgumentsGiveOneLineAndExitTwo() {
    assertThat(run("serve", "--port", "70000"))
        .isEqualTo("tusk serve: option --port must be between 0 and 65535, not 70000");
    assertThat(run("serve", "--handlers"))
        .isEqualTo("tusk serve: option --handlers needs a value (N)");
    assertThat(run("serve", "--conf", "/no/such/file.xml"))
        .isEqualTo("tusk serve: cannot read the settings file /no/such/file.xml");
    assertThat(run("serve", "--color")).isEqualTo("tusk serve: unknown option --color");
  }

  @Test
  void helpDescribesEveryOption() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = new Tusk().run(new String[] {"serve", "--help"}, new PrintStream(out, true),
        new PrintStream(new ByteArrayOutputStream()));
    assertThat(exit).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("Usage: tusk serve [--bind ADDR] [--port P]")
        .contains("--bind ADDR", "--port P", "--handlers N", "--readers N", "--conf FILE",
            "--help", "--verbose");
  }

  /** Runs a command that must fail with a usage error; returns the first line of stderr. */
  private static String run(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = new Tusk().run(args, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true));
    assertThat(exit).isEqualTo(Tusk.USAGE);
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("\tat ");
    return text.lines().findFirst().orElse("");
  }
}

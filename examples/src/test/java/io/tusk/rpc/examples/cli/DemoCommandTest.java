package io.tusk.rpc.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code tusk demo}, the README's first command, run in-process. */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class DemoCommandTest {
  @Test
  void demoCallsBothEnginesShowsTheRemoteErrorsAndExitsZero() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exit = new Tusk().run(new String[] {"demo"}, new PrintStream(out, true),
        new PrintStream(err, true));

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as("stderr: %s", err).isZero();
    assertThat(printed)
        .containsPattern("Server listening on 127\\.0\\.0\\.1:\\d+, hosting:")
        .containsPattern("io\\.tusk\\.rpc\\.examples\\.Calculator +v1 +RPC_WRITABLE")
        .containsPattern("io\\.tusk\\.rpc\\.examples\\.KeyValueProtocol +v1 +RPC_PROTOCOL_BUFFER")
        .contains("[writable] Calculator.add(2, 40) = 42")
        .contains("[writable] Calculator.sum([1..10]) = 55")
        .contains("[writable] Calculator.divide(1, 0) failed on purpose: "
            + "io.tusk.rpc.examples.CalculatorException: cannot divide 1 by zero")
        .contains("[protobuf] KeyValue.get(\"greeting\") = \"hello\"")
        .contains("[protobuf] KeyValue.multiGet(answer, nothing, greeting) = "
            + "{answer=42, greeting=hello}")
        .contains("[protobuf] KeyValue.get(\"nothing\") failed on purpose: "
            + "io.tusk.rpc.examples.KeyNotFoundException: no such key: nothing")
        .containsPattern("The server handled \\d+ calls")
        .endsWith("Done: server and client closed." + System.lineSeparator());
    Threads.assertNoneAlive("tusk-demo", Duration.ofSeconds(10));
  }

  @Test
  void demoRejectsArguments() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exit = new Tusk().run(new String[] {"demo", "extra"}, new PrintStream(
        new ByteArrayOutputStream()), new PrintStream(err, true));

    assertThat(exit).isEqualTo(Tusk.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("tusk demo: unexpected argument 'extra'")
        .doesNotContain("Exception");
  }
}

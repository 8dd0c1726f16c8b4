package io.tusk.rpc.examples.cli;

import static io.tusk.rpc.examples.cli.CliHarness.tusk;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.RpcController;
import io.tusk.rpc.ProtocolSignature;
import io.tusk.rpc.examples.Calculator;
import io.tusk.rpc.examples.KeyValueProtocolPB;
import io.tusk.rpc.examples.cli.CliHarness.Result;
import io.tusk.rpc.examples.proto.KeyValueProtos.PutRequestProto;
import io.tusk.rpc.protobuf.MethodFingerprints;
import io.tusk.rpc.testing.LeakCheck;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code tusk list} in-process against an {@link io.tusk.rpc.examples.ExampleServer}: versions per
 * kind and named method fingerprints of both engines' protocols, and the ways it fails.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class ListCommandTest {
  private CliHarness harness;

  @BeforeEach
  void start() throws IOException {
    harness = new CliHarness();
  }

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  private static String line(int fingerprint, String name) {
    return String.format("  0x%08x %11d  %s", fingerprint, fingerprint, name);
  }

  private static void assertOk(Result result) {
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.err()).as(result.toString()).isEmpty();
  }

  private static void assertFails(Result result, int exitCode, String... fragments) {
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
    assertThat(result.out()).as(result.toString()).isEmpty();
    assertThat(result.err()).as(result.toString()).contains(fragments).doesNotContain("\tat ");
    assertThat(result.err().lines().count()).as(result.toString())
        .isEqualTo(exitCode == Tusk.USAGE ? 2 : 1);
  }

  @Test
  void listsTheProtobufReferenceProtocolWithNamedFingerprints() throws Exception {
    Result result = harness.tuskAt("list", "--protocol", KeyValueProtocolPB.NAME);
    assertOk(result);
    int[] put = MethodFingerprints.of(KeyValueProtocolPB.class.getMethod("put",
        RpcController.class, PutRequestProto.class));
    assertThat(result.out()).contains(
        "protocol " + KeyValueProtocolPB.NAME + " (class " + KeyValueProtocolPB.class.getName()
            + ") at " + harness.hostPort(),
        "  RPC_BUILTIN: (none)\n",
        "  RPC_WRITABLE: (none)\n",
        "  RPC_PROTOCOL_BUFFER: 1\n",
        "RPC_PROTOCOL_BUFFER version 1: 12 method fingerprint(s)",
        line(put[0], "put\n"),
        line(put[1], "put (Hadoop's shaded controller)"));
    for (String method : new String[] {"ping", "get", "delete", "multiGet", "listKeys"}) {
      assertThat(result.out()).containsPattern("  0x[0-9a-f]{8} +-?\\d+  " + method + "\n");
    }
    assertThat(result.out()).doesNotContain("RPC_WRITABLE version");

    // The PB interface's class name, which is what Hadoop's clients send, lists the same.
    Result byClass = harness.tuskAt("list", "--protocol", KeyValueProtocolPB.class.getName());
    assertOk(byClass);
    assertThat(byClass.out()).startsWith("protocol " + KeyValueProtocolPB.class.getName() + " at ")
        .endsWith(result.out().substring(result.out().indexOf("versions:")));
  }

  @Test
  void listsTheWritableCalculator() throws Exception {
    Result result = harness.tuskAt("list", "--protocol", Calculator.NAME);
    assertOk(result);
    int add = ProtocolSignature.fingerprint(Calculator.class.getMethod("add", long.class,
        long.class));
    assertThat(result.out()).contains(
        "protocol " + Calculator.NAME + " at " + harness.hostPort() + "\n",
        "  RPC_WRITABLE: 1\n",
        "  RPC_PROTOCOL_BUFFER: (none)\n",
        "RPC_WRITABLE version 1: 5 method fingerprint(s)",
        line(add, "add\n"));
    for (String method : new String[] {"divide", "sum", "words", "echo"}) {
      assertThat(result.out()).containsPattern("  0x[0-9a-f]{8} +-?\\d+  " + method + "\n");
    }
    assertThat(result.out()).doesNotContain("RPC_PROTOCOL_BUFFER version");
  }

  @Test
  void aClassTheServerCannotLoadOrDoesNotHostFails() {
    assertFails(harness.tuskAt("list", "--protocol", "no.such.Protocol"), Tusk.FAILED,
        "the server cannot load class no.such.Protocol", "--help");
    assertFails(harness.tuskAt("list", "--protocol", Runnable.class.getName()), Tusk.FAILED,
        harness.hostPort() + " hosts no version of java.lang.Runnable");
  }

  @Test
  void unreachableHostFailsPromptlyWithAClearMessage() throws IOException {
    String dead = CliHarness.deadHostPort();
    assertFails(tusk("list", dead, "--protocol", Calculator.NAME, "--retries", "1"), Tusk.FAILED,
        "tusk list: cannot connect to " + dead + ": ", "(2 attempts)");
    CliHarness.assertClientThreadsGone();
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertFails(harness.tuskAt("list"), Tusk.USAGE, "missing option --protocol");
    assertFails(tusk("list", "--protocol", Calculator.NAME), Tusk.USAGE, "expected HOST:PORT");
    assertFails(harness.tuskAt("list", "--protocol", Calculator.NAME, "extra"), Tusk.USAGE,
        "unexpected argument 'extra'");
    assertFails(harness.tuskAt("list", "--protocol", Calculator.NAME, "--retries", "-1"),
        Tusk.USAGE, "--retries");
    assertFails(harness.tuskAt("list", "--protocl", Calculator.NAME), Tusk.USAGE,
        "unknown option --protocl");
  }

  @Test
  void helpExplainsTheCommand() {
    Result help = tusk("list", "--help");
    assertOk(help);
    assertThat(help.out()).contains("Usage: tusk list HOST:PORT --protocol NAME",
        "org.apache.hadoop.ipc.ProtocolMetaInfoPB", "class name", KeyValueProtocolPB.NAME,
        Calculator.NAME, "--timeout SECONDS", "--retries N", "--verbose");
  }
}

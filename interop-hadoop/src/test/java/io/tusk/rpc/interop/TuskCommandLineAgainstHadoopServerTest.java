package io.tusk.rpc.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import io.tusk.rpc.examples.KeyNotFoundException;
import io.tusk.rpc.examples.KeyValueProtocolPB;
import io.tusk.rpc.examples.cli.Tusk;
import io.tusk.rpc.examples.proto.KeyValueProtos;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tusk} command line against a real Hadoop 3.4.2 {@code ProtobufRpcEngine2} server
 * hosting the reference protocol: {@code tusk call} with the types from a descriptor set (as one
 * would call any Hadoop service) and {@code tusk list} on Hadoop's meta-info service, which leaves
 * Hadoop's log free of warnings ({@link StandardErrorCapture}).
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class TuskCommandLineAgainstHadoopServerTest {
  /** What one run of {@code tusk} did. */
  private record Result(int exitCode, String out, String err) {}

  private HadoopKeyValueServer hadoop;
  private String hostPort;

  @BeforeEach
  void start() throws IOException {
    hadoop = new HadoopKeyValueServer();
    hostPort = "127.0.0.1:" + hadoop.address.getPort();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (hadoop != null) {
      hadoop.close();
    }
    Threads.assertNoneAlive("tusk-cli", Duration.ofSeconds(10));
  }

  private Result tusk(String command, String... rest) {
    List<String> args = new ArrayList<>(List.of(command, hostPort));
    args.addAll(List.of(rest));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = new Tusk().run(args.toArray(String[]::new), o, e);
    }
    return new Result(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  /** {@code tusk call} of the reference protocol with its types from a descriptor set. */
  private Result call(Path descriptorSet, String method, String json) {
    return tusk("call", "--protocol", KeyValueProtocolPB.NAME, "--descriptor-set",
        descriptorSet.toString(), "--service", "tusk.examples.KeyValueService", method, json);
  }

  @Test
  void callsHadoopsServerWithTypesFromADescriptorSet(@TempDir Path dir) throws IOException {
    Path set = dir.resolve("key_value.desc");
    Files.write(set, FileDescriptorSet.newBuilder()
        .addFile(KeyValueProtos.getDescriptor().toProto()).build().toByteArray());

    Result put = call(set, "put", "{\"key\":\"k\",\"value\":\"aGVsbG8=\"}");
    assertThat(put.exitCode()).as(put.toString()).isZero();
    assertThat(put.out()).isEqualTo("{\n}" + System.lineSeparator());

    Result get = call(set, "get", "{\"key\":\"k\"}");
    assertThat(get.exitCode()).as(get.toString()).isZero();
    assertThat(get.err()).isEmpty();
    assertThat(get.out()).contains("\"value\": \"aGVsbG8=\"");

    Result keys = call(set, "multiGet", "{\"keys\":[\"k\",\"nope\"]}");
    assertThat(keys.out()).contains("\"key\": \"k\"").doesNotContain("nope");

    Result missing = call(set, "get", "{\"key\":\"missing\"}");
    assertThat(missing.exitCode()).isEqualTo(Tusk.FAILED);
    assertThat(missing.out()).isEmpty();
    // Hadoop appends the server's stack trace to the message; only --verbose prints it.
    assertThat(missing.err()).isEqualTo("tusk call: remote error "
        + KeyNotFoundException.class.getName() + ": no such key: missing"
        + System.lineSeparator());
  }

  @Test
  void listsTheProtocolFromHadoopsMetaInfoService() {
    // Hadoop's getProtocolVersions fails for a kind without versions; list reads the versions
    // from getProtocolSignature of each kind only. Hadoop loads the class named, with its
    // @ProtocolInfo.
    Result result = tusk("list", "--protocol", HadoopKeyValueProtocolPB.class.getName());
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).contains("  RPC_WRITABLE: (none)", "  RPC_PROTOCOL_BUFFER: 1",
        "RPC_PROTOCOL_BUFFER version 1: 6 method fingerprint(s)");

    Result unknown = tusk("list", "--protocol", "no.such.Protocol");
    assertThat(unknown.exitCode()).isEqualTo(Tusk.FAILED);
    assertThat(unknown.err()).startsWith("tusk list: the server cannot load class"
        + " no.such.Protocol: ").hasLineCount(1);
  }

  @Test
  void listLeavesNoWarningOrStackTraceInHadoopsLog() {
    try (StandardErrorCapture log = new StandardErrorCapture()) {
      // Each request names its rpcKind, as Hadoop's own client does: getProtocolVersions would
      // make Hadoop log an UninitializedMessageException (WARN, with its stack trace).
      Result result = tusk("list", "--protocol", HadoopKeyValueProtocolPB.class.getName());
      assertThat(result.exitCode()).as(result.toString()).isZero();
      // Hadoop logs a failed call before it answers, so all of it is in by now.
      assertThat(log.warningsAndStackTraces()).as(log.text()).isEmpty();

      // The capture does see Hadoop's log: a class the server cannot load is logged there (at
      // INFO, with its trace), as it is when Hadoop's own client asks about one.
      Result unknown = tusk("list", "--protocol", "no.such.Protocol");
      assertThat(unknown.exitCode()).isEqualTo(Tusk.FAILED);
      assertThat(log.text()).contains("INFO org.apache.hadoop.ipc.Server",
          "java.lang.ClassNotFoundException: no.such.Protocol");
    }
  }

  @Test
  void userNamesTheCallerHadoopsHandlerSees() {
    Result named = tusk("call", "--protocol", KeyValueProtocolPB.NAME, "--user", "dave", "ping");
    assertThat(named.exitCode()).as(named.toString()).isZero();
    assertThat(hadoop.service.lastPingCaller).isEqualTo("dave (auth:SIMPLE)");

    Result unnamed = tusk("call", "--protocol", KeyValueProtocolPB.NAME, "ping");
    assertThat(unnamed.exitCode()).as(unnamed.toString()).isZero();
    assertThat(hadoop.service.lastPingCaller)
        .isEqualTo(io.tusk.rpc.security.UserIdentity.getLoginUser().toString());

    Result list = tusk("list", "--protocol", HadoopKeyValueProtocolPB.class.getName(), "--user",
        "dave");
    assertThat(list.exitCode()).as(list.toString()).isZero();
  }
}


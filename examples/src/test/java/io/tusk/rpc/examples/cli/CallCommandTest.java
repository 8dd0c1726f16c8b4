package io.tusk.rpc.examples.cli;

import static io.tusk.rpc.examples.cli.CliHarness.tusk;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.tusk.rpc.examples.KeyValueProtocolPB;
import io.tusk.rpc.examples.cli.CliHarness.Result;
import io.tusk.rpc.examples.proto.KeyValueProtos;
import io.tusk.rpc.examples.proto.KeyValueProtos.GetResponseProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.ListKeysResponseProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.MultiGetResponseProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.PutResponseProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsResponseProto;
import io.tusk.rpc.protobuf.ProtocolMetaInfoPB;
import io.tusk.rpc.testing.LeakCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tusk call} in-process against an {@link io.tusk.rpc.examples.ExampleServer}: every method
 * of the reference protocol through JSON, descriptor sets, and every way a call can go wrong.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class CallCommandTest {
  private static final String KV = KeyValueProtocolPB.NAME;
  private static final String HELLO = "aGVsbG8="; // base64("hello")
  private static final String WORLD = "d29ybGQ="; // base64("world")

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

  private Result call(String... rest) {
    List<String> args = new ArrayList<>(List.of("--protocol", KV));
    args.addAll(List.of(rest));
    return harness.tuskAt("call", args.toArray(String[]::new));
  }

  /** The successful result's standard output parsed as {@code prototype}'s type. */
  @SuppressWarnings("unchecked")
  private static <M extends Message> M parse(Result result, M prototype)
      throws InvalidProtocolBufferException {
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.err()).as(result.toString()).isEmpty();
    Message.Builder builder = prototype.newBuilderForType();
    JsonFormat.parser().merge(result.out(), builder);
    return (M) builder.build();
  }

  private static void assertFails(Result result, int exitCode, String... fragments) {
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
    assertThat(result.out()).as(result.toString()).isEmpty();
    assertThat(result.err()).as(result.toString()).contains(fragments).doesNotContain("\tat ");
    // One line of reason (plus the hint to --help for usage errors).
    assertThat(result.err().lines().count()).as(result.toString())
        .isEqualTo(exitCode == Tusk.USAGE ? 2 : 1);
  }

  @Test
  void putThenGetRoundTripsThroughJson() throws IOException {
    Result first = call("put", "{\"key\":\"k\",\"value\":\"" + HELLO + "\"}");
    assertThat(parse(first, PutResponseProto.getDefaultInstance()).hasPrevious()).isFalse();
    assertThat(first.out()).isEqualTo("{\n}" + System.lineSeparator());

    Result second = call("put", "{\"key\":\"k\",\"value\":\"" + WORLD + "\"}");
    assertThat(second.out()).contains("\"previous\": \"" + HELLO + "\"");
    assertThat(parse(second, PutResponseProto.getDefaultInstance()).getPrevious()
        .toStringUtf8()).isEqualTo("hello");

    Result get = call("get", "{\"key\":\"k\"}");
    assertThat(get.out()).contains("\"value\": \"" + WORLD + "\"");
    assertThat(parse(get, GetResponseProto.getDefaultInstance()).getValue().toStringUtf8())
        .isEqualTo("world");
  }

  @Test
  void everyOtherMethodOfTheReferenceProtocolIsReachable() throws IOException {
    assertThat(call("ping").out()).isEqualTo("{\n}" + System.lineSeparator());
    for (String key : List.of("b/2", "a/1", "a/2")) {
      assertThat(call("put", "{\"key\":\"" + key + "\",\"value\":\"" + HELLO + "\"}").exitCode())
          .isZero();
    }
    assertThat(parse(call("listKeys", "{\"prefix\":\"a/\"}"),
        ListKeysResponseProto.getDefaultInstance()).getKeysList()).containsExactly("a/1", "a/2");
    assertThat(parse(call("listKeys"), ListKeysResponseProto.getDefaultInstance()).getKeysList())
        .containsExactly("a/1", "a/2", "b/2");
    // Repeated fields with no presence print even when empty.
    assertThat(call("listKeys", "{\"prefix\":\"zzz\"}").out()).contains("\"keys\": []");

    MultiGetResponseProto some = parse(call("multiGet", "{\"keys\":[\"b/2\",\"nope\",\"a/1\"]}"),
        MultiGetResponseProto.getDefaultInstance());
    assertThat(some.getEntriesList()).extracting(e -> e.getKey()).containsExactly("b/2", "a/1");
    assertThat(some.getEntries(0).getValue().toStringUtf8()).isEqualTo("hello");

    Result deleted = call("delete", "{\"key\":\"a/1\"}");
    assertThat(deleted.out()).contains("\"existed\": true");
    assertThat(call("delete", "{\"key\":\"a/1\"}").out()).contains("\"existed\": false");
  }

  @Test
  void callsTheMetaInfoServiceBuiltIn() throws IOException {
    Result result = harness.tuskAt("call", "--protocol", ProtocolMetaInfoPB.NAME,
        "getProtocolVersions", "{\"protocol\":\"io.tusk.rpc.examples.Calculator\"}");
    GetProtocolVersionsResponseProto versions =
        parse(result, GetProtocolVersionsResponseProto.getDefaultInstance());
    assertThat(versions.getProtocolVersionsList())
        .anySatisfy(v -> {
          assertThat(v.getRpcKind()).isEqualTo("RPC_WRITABLE");
          assertThat(v.getVersionsList()).containsExactly(1L);
        });
  }

  /**
   * A descriptor set as {@code protoc --include_imports} writes it, but with the importing file
   * first: {@code tusk/extra.proto} imports the reference protocol's file and declares a service
   * of its own whose {@code get} uses the imported types.
   */
  private static Path descriptorSet(Path dir, boolean includeImports) throws IOException {
    FileDescriptorProto keyValue = KeyValueProtos.getDescriptor().toProto();
    FileDescriptorProto extra = FileDescriptorProto.newBuilder()
        .setName("tusk/extra.proto")
        .setPackage("tusk.extra")
        .addDependency(keyValue.getName())
        .addService(ServiceDescriptorProto.newBuilder().setName("Lookup")
            .addMethod(MethodDescriptorProto.newBuilder().setName("get")
                .setInputType(".tusk.examples.GetRequestProto")
                .setOutputType(".tusk.examples.GetResponseProto")))
        .build();
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder().addFile(extra);
    if (includeImports) {
      set.addFile(keyValue);
    }
    Path file = dir.resolve(includeImports ? "kv.desc" : "kv-no-imports.desc");
    Files.write(file, set.build().toByteArray());
    return file;
  }

  @Test
  void callsThroughADescriptorSetInAnyFileOrder(@TempDir Path dir) throws IOException {
    String set = descriptorSet(dir, true).toString();
    Result put = call("--descriptor-set", set, "--service", "tusk.examples.KeyValueService",
        "put", "{\"key\":\"k\",\"value\":\"" + HELLO + "\"}");
    assertThat(put.exitCode()).as(put.toString()).isZero();

    // Only the method name travels, so the importing file's service reaches the same method.
    Result get = call("--descriptor-set", set, "--service", "tusk.extra.Lookup", "get",
        "{\"key\":\"k\"}");
    assertThat(parse(get, GetResponseProto.getDefaultInstance()).getValue().toStringUtf8())
        .isEqualTo("hello");

    // A protocol unknown to tusk works with a descriptor set (the server then rejects the name).
    Result unknown = harness.tuskAt("call", "--protocol", "org.example.Nope",
        "--descriptor-set", set, "--service", "tusk.extra.Lookup", "get", "{\"key\":\"k\"}");
    assertFails(unknown, Tusk.FAILED, "remote error", "org.example.Nope");
  }

  @Test
  void explainsDescriptorSetProblems(@TempDir Path dir) throws IOException {
    String set = descriptorSet(dir, true).toString();
    assertFails(call("--descriptor-set", set, "--service", "tusk.Missing", "get", "{}"),
        Tusk.USAGE, "no service tusk.Missing", "tusk.examples.KeyValueService",
        "tusk.extra.Lookup");
    assertFails(call("--descriptor-set", set, "get", "{}"), Tusk.USAGE,
        "missing option --service", "tusk.extra.Lookup");
    assertFails(call("--descriptor-set", descriptorSet(dir, false).toString(), "--service",
        "tusk.extra.Lookup", "get", "{}"), Tusk.USAGE, "imports tusk/examples/key_value.proto",
        "--include_imports");
    assertFails(call("--descriptor-set", dir.resolve("absent.desc").toString(), "--service",
        "tusk.extra.Lookup", "get"), Tusk.USAGE, "cannot read descriptor set", "absent.desc");
    Path garbage = Files.writeString(dir.resolve("garbage.desc"), "not a descriptor set");
    assertFails(call("--descriptor-set", garbage.toString(), "--service", "x.Y", "get"),
        Tusk.USAGE, "is not a FileDescriptorSet");
    assertFails(call("--service", "tusk.extra.Lookup", "get"), Tusk.USAGE,
        "--service needs --descriptor-set");
  }

  @Test
  void remoteErrorShowsTheExceptionClassAndMessage() {
    assertFails(call("get", "{\"key\":\"missing\"}"), Tusk.FAILED,
        "tusk call: remote error io.tusk.rpc.examples.KeyNotFoundException: no such key: missing");
  }

  @Test
  void verbosePrintsTheStackTrace() {
    Result result = call("--verbose", "get", "{\"key\":\"missing\"}");
    assertThat(result.exitCode()).isEqualTo(Tusk.FAILED);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).contains("KeyNotFoundException", "\tat ");
  }

  @Test
  void unhostedVersionIsARemoteError() {
    assertFails(call("--version", "2", "ping"), Tusk.FAILED, "remote error", "version");
  }

  @Test
  void unknownMethodListsTheMethods() {
    assertFails(call("fetch", "{}"), Tusk.USAGE, "no method fetch",
        "ping, put, get, delete, multiGet, listKeys");
  }

  @Test
  void badJsonIsAOneLineUsageError() {
    assertFails(call("get", "{\"key\":"), Tusk.USAGE, "bad JSON for tusk.examples.GetRequestProto");
    assertFails(call("get", "{\"kee\":\"k\"}"), Tusk.USAGE, "bad JSON", "kee");
    assertFails(call("put", "{\"key\":\"k\",\"value\":\"not base64!\"}"), Tusk.USAGE, "bad JSON");
    assertFails(call("get", "{}"), Tusk.USAGE, "misses required field(s) key");
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertFails(harness.tuskAt("call", "ping"), Tusk.USAGE, "missing option --protocol");
    assertFails(tusk("call", "--protocol", KV), Tusk.USAGE, "expected HOST:PORT METHOD [JSON]");
    assertFails(call("ping", "{}", "extra"), Tusk.USAGE, "unexpected argument 'extra'");
    assertFails(tusk("call", "nohost", "--protocol", KV, "ping"), Tusk.USAGE, "HOST:PORT");
    assertFails(call("--timeout", "soon", "ping"), Tusk.USAGE, "--timeout");
    assertFails(harness.tuskAt("call", "--protocol", "org.example.Nope", "ping"), Tusk.USAGE,
        "no built-in types for protocol org.example.Nope", KV, "--descriptor-set");
  }

  @Test
  void unreachableHostFailsPromptlyWithAClearMessage() throws IOException {
    String dead = CliHarness.deadHostPort();
    assertFails(tusk("call", dead, "--protocol", KV, "ping"), Tusk.FAILED,
        "tusk call: cannot connect to " + dead + ": ", "(3 attempts)");
    assertFails(tusk("call", dead, "--protocol", KV, "--retries", "0", "ping"), Tusk.FAILED,
        "(1 attempt)");
    CliHarness.assertClientThreadsGone();
  }

  @Test
  void helpExplainsTheCommand() {
    Result help = tusk("call", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.err()).isEmpty();
    assertThat(help.out()).contains("Usage: tusk call HOST:PORT --protocol NAME",
        "--descriptor-set FILE", "--service FULL.NAME", "--version V", "--timeout SECONDS",
        "--retries N", "base64", KV, ProtocolMetaInfoPB.NAME, "--verbose");
  }
}

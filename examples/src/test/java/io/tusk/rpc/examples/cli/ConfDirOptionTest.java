package io.tusk.rpc.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.examples.KeyValueProtocolPB;
import io.tusk.rpc.examples.cli.CliHarness.Result;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --conf-dir DIR} and {@code HADOOP_CONF_DIR} on {@code tusk call}, {@code list},
 * {@code serve} and {@code bench}: the directory's core-site.xml settings reach the client and
 * the server; an option on the command line beats the directory, the directory beats the
 * environment variable. The environment is a map given to {@link Tusk}, not the process's.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class ConfDirOptionTest {
  private static final String KV = KeyValueProtocolPB.NAME;
  private static final Function<String, String> NO_ENV = name -> null;

  @TempDir
  Path dir;

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

  /** A configuration directory holding a core-site.xml with {@code properties}. */
  private Path confDir(String name, Map<String, String> properties) throws IOException {
    Path confDir = Files.createDirectories(dir.resolve(name));
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
    properties.forEach((k, v) -> xml.append("  <property><name>").append(k)
        .append("</name><value>").append(v).append("</value></property>\n"));
    Files.writeString(confDir.resolve("core-site.xml"), xml.append("</configuration>\n"),
        StandardCharsets.UTF_8);
    return confDir;
  }

  private static Result tusk(Function<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = new Tusk(env).run(args, o, e);
    }
    return new Result(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  private Result call(Function<String, String> env, String... rest) {
    List<String> args = new ArrayList<>(List.of("call", harness.hostPort(), "--protocol", KV));
    args.addAll(List.of(rest));
    return tusk(env, args.toArray(String[]::new));
  }

  @Test
  void aClientSettingOfTheDirectoryChangesWhatTheCallAccepts() throws IOException {
    // A value of 2000 bytes: its get response is longer than the smallest allowed maximum.
    byte[] big = new byte[2000];
    String value = Base64.getEncoder().encodeToString(big);
    assertThat(call(NO_ENV, "put", "{\"key\":\"big\",\"value\":\"" + value + "\"}").exitCode())
        .isZero();
    Path small = confDir("small", Map.of(IpcKeys.CLIENT_MAX_RESPONSE_LENGTH, "1024"));

    Result plain = call(NO_ENV, "get", "{\"key\":\"big\"}");
    Result limited = call(NO_ENV, "get", "{\"key\":\"big\"}", "--conf-dir", small.toString());
    Result fromEnv = call(Map.of(Configuration.HADOOP_CONF_DIR, small.toString())::get, "get",
        "{\"key\":\"big\"}");

    assertThat(plain.exitCode()).as(plain.toString()).isZero();
    assertThat(plain.out()).contains(value);
    assertThat(limited.exitCode()).as(limited.toString()).isEqualTo(Tusk.FAILED);
    assertThat(limited.out()).isEmpty();
    assertThat(limited.err()).contains("1024");
    assertThat(fromEnv.exitCode()).as("HADOOP_CONF_DIR: " + fromEnv).isEqualTo(Tusk.FAILED);
    assertThat(fromEnv.err()).contains("1024");
  }

  @Test
  void optionsBeatTheDirectoryAndTheDirectoryBeatsHadoopConfDir() throws IOException {
    String dead = CliHarness.deadHostPort();
    Path noRetries = confDir("noretries", Map.of(IpcKeys.CLIENT_CONNECT_MAX_RETRIES, "0",
        IpcKeys.CLIENT_CONNECT_RETRY_INTERVAL, "10"));
    Path fourRetries = confDir("four", Map.of(IpcKeys.CLIENT_CONNECT_MAX_RETRIES, "4",
        IpcKeys.CLIENT_CONNECT_RETRY_INTERVAL, "10"));
    Function<String, String> env = Map.of(Configuration.HADOOP_CONF_DIR,
        fourRetries.toString())::get;

    assertThat(tusk(NO_ENV, "call", dead, "--protocol", KV, "ping").err())
        .contains("(3 attempts)");
    assertThat(tusk(NO_ENV, "call", dead, "--protocol", KV, "--conf-dir", noRetries.toString(),
        "ping").err()).contains("(1 attempt)");
    assertThat(tusk(env, "call", dead, "--protocol", KV, "ping").err())
        .as("HADOOP_CONF_DIR").contains("(5 attempts)");
    assertThat(tusk(env, "call", dead, "--protocol", KV, "--conf-dir", noRetries.toString(),
        "ping").err()).as("--conf-dir beats HADOOP_CONF_DIR").contains("(1 attempt)");
    assertThat(tusk(env, "call", dead, "--protocol", KV, "--retries", "1", "ping").err())
        .as("--retries beats the directory").contains("(2 attempts)");
    assertThat(tusk(NO_ENV, "list", dead, "--protocol", KV, "--conf-dir", noRetries.toString())
        .err()).contains("tusk list: cannot connect to " + dead).contains("(1 attempt)");
    CliHarness.assertClientThreadsGone();
  }

  @Test
  void aDirectoryThatIsNotThereIsAUsageErrorOrAFailureOfTheEnvironment() {
    String missing = dir.resolve("missing").toString();

    Result option = tusk(NO_ENV, "list", harness.hostPort(), "--protocol", KV, "--conf-dir",
        missing);
    Result serve = tusk(NO_ENV, "serve", "--conf-dir", missing);
    Result env = tusk(Map.of(Configuration.HADOOP_CONF_DIR, missing)::get, "list",
        harness.hostPort(), "--protocol", KV);

    assertThat(option.exitCode()).isEqualTo(Tusk.USAGE);
    assertThat(option.err()).startsWith("tusk list: --conf-dir " + missing + " is not a directory");
    assertThat(serve.exitCode()).isEqualTo(Tusk.USAGE);
    assertThat(env.exitCode()).as(env.toString()).isEqualTo(Tusk.FAILED);
    assertThat(env.err()).contains("HADOOP_CONF_DIR=" + missing).doesNotContain("\tat ");
  }

  @Test
  void serveTakesServerSettingsFromTheDirectoryAndConfOverThem(@TempDir Path files)
      throws Exception {
    Path confDir = confDir("server", Map.of(IpcKeys.SERVER_HANDLER_COUNT, "3",
        IpcKeys.SERVER_READ_THREADPOOL_SIZE, "2"));
    Path file = files.resolve("more.properties");
    Files.writeString(file, IpcKeys.SERVER_READ_THREADPOOL_SIZE + "=3\n");
    String name = "tusk-serve"; // ServeCommand's thread names
    LineQueue out = new LineQueue();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread serving = new Thread(() -> exit.complete(new Tusk(NO_ENV).run(new String[] {"serve",
        "--port", "0", "--conf-dir", confDir.toString(), "--conf", file.toString()},
        out.printStream(), new PrintStream(err, true))), "serve-confdir-test");
    serving.start();
    try {
      out.await("Press Ctrl-C to stop.", Duration.ofSeconds(20));
      assertThat(Threads.alive(name)).filteredOn(n -> n.contains("handler")).hasSize(3);
      assertThat(Threads.alive(name)).filteredOn(n -> n.contains("reader")).hasSize(3);
    } finally {
      serving.interrupt();
      assertThat(exit.get(20, TimeUnit.SECONDS)).as("stderr: %s", err).isZero();
    }
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
  }

  @Test
  void benchReadsTheDirectoryToo() throws Exception {
    Path confDir = confDir("bench", Map.of(IpcKeys.CLIENT_RPC_TIMEOUT_MS, "4321"));
    BenchCommand bench = new BenchCommand("confdir-bench");

    CommandLine line = CommandLine.parse(bench.options(), List.of("--conf-dir",
        confDir.toString())).withEnvironment(NO_ENV);
    CommandLine fromEnv = CommandLine.parse(bench.options(), List.of())
        .withEnvironment(Map.of(Configuration.HADOOP_CONF_DIR, confDir.toString())::get);
    CommandLine none = CommandLine.parse(bench.options(), List.of()).withEnvironment(NO_ENV);

    assertThat(bench.settings(line).conf().getInt(IpcKeys.CLIENT_RPC_TIMEOUT_MS, 0))
        .isEqualTo(4321);
    assertThat(bench.settings(fromEnv).conf().getInt(IpcKeys.CLIENT_RPC_TIMEOUT_MS, 0))
        .isEqualTo(4321);
    assertThat(bench.settings(none).conf().toMap()).isEmpty();
  }
}

package io.tusk.rpc.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.testing.LeakCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who a client is when nobody names a user, decided by the process's environment and properties:
 * a JVM forked with them ({@link ForkedClientsWhoAmI}) calls a real Hadoop 3.4.2 server with
 * Tusk's client and with Hadoop's, and the server's handler ({@code Server.getRemoteUser()})
 * reports the same user for both. {@code HADOOP_USER_NAME=bob} in the environment makes both
 * {@code bob}; {@code -Duser.name=carol} alone changes neither: both are the OS account. The
 * {@code tusk call} command line in the same JVM is the same user to Hadoop's handler.
 */
@Timeout(180)
@ExtendWith(LeakCheck.class)
class LoginUserInForkedJvmTest {
  private HadoopEchoServer hadoop;
  private HadoopKeyValueServer keyValue;

  @BeforeEach
  void start() throws IOException {
    hadoop = new HadoopEchoServer(new Configuration());
    hadoop.start();
    keyValue = new HadoopKeyValueServer();
  }

  @AfterEach
  void stop() throws InterruptedException {
    hadoop.stop();
    hadoop.join();
    keyValue.close();
  }

  @Test
  void hadoopUserNameInTheEnvironmentIsTheUserForTuskAsForHadoop() throws Exception {
    Map<String, String> r = fork(Map.of("HADOOP_USER_NAME", "bob"), List.of());

    assertThat(r.get("hadoop.short")).isEqualTo("bob");
    assertThat(r.get("tusk.short")).isEqualTo(r.get("hadoop.short"));
    assertThat(r.get("tusk.ugi")).isEqualTo(r.get("hadoop.ugi")).isEqualTo("bob (auth:SIMPLE)");
    assertThat(r.get("tusk.login")).isEqualTo(r.get("hadoop.login"))
        .isEqualTo("bob (auth:SIMPLE)");
    assertThat(r.get("cli.exit")).as("tusk call's exit code").isEqualTo("0");
    assertThat(keyValue.service.lastPingCaller).as("tusk call honours HADOOP_USER_NAME")
        .isEqualTo("bob (auth:SIMPLE)");
  }

  @Test
  void userNamePropertyAloneDoesNotChangeTheUserOfEitherClient() throws Exception {
    String os = new com.sun.security.auth.module.UnixSystem().getUsername();
    Map<String, String> r = fork(Map.of(), List.of("-Duser.name=carol"));

    assertThat(os).isNotEqualTo("carol");
    assertThat(r.get("hadoop.short")).isEqualTo(os);
    assertThat(r.get("tusk.short")).isEqualTo(os);
    assertThat(r.get("tusk.ugi")).isEqualTo(r.get("hadoop.ugi"));
    assertThat(r.get("tusk.login")).isEqualTo(r.get("hadoop.login"))
        .isEqualTo(os + " (auth:SIMPLE)");
    assertThat(r.get("cli.exit")).as("tusk call's exit code").isEqualTo("0");
    assertThat(keyValue.service.lastPingCaller).isEqualTo(os + " (auth:SIMPLE)");
  }

  /** Runs {@link ForkedClientsWhoAmI} against the server; its RESULT lines as a map. */
  private Map<String, String> fork(Map<String, String> env, List<String> jvmArgs)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ForkedClientsWhoAmI.class.getName());
    command.add(String.valueOf(hadoop.getListenerAddress().getPort()));
    command.add(String.valueOf(keyValue.address.getPort()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("HADOOP_USER_NAME");
    builder.environment().remove("HADOOP_PROXY_USER");
    builder.environment().putAll(env);
    Process process = builder.start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process
        .getInputStream()));
    try {
      boolean ended = process.waitFor(150, TimeUnit.SECONDS);
      assertThat(ended).as("forked JVM ended").isTrue();
      String text = output.get(10, TimeUnit.SECONDS);
      assertThat(process.exitValue()).as("forked JVM's exit code; its output:%n%s", text)
          .isZero();
      Map<String, String> results = new HashMap<>();
      text.lines().filter(l -> l.startsWith("RESULT ")).forEach(l -> {
        int eq = l.indexOf('=');
        results.put(l.substring("RESULT ".length(), eq), l.substring(eq + 1));
      });
      assertThat(results).as("results; output:%n%s", text).containsKeys("tusk.short",
          "tusk.ugi", "tusk.login", "hadoop.short", "hadoop.ugi", "hadoop.login", "cli.exit");
      return results;
    } finally {
      process.destroyForcibly();
    }
  }

  private static String read(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }
}

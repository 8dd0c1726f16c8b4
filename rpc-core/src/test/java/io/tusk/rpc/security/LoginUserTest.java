package io.tusk.rpc.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link LoginUser}: Hadoop's order under SIMPLE auth, with injected sources. */
@Timeout(20)
class LoginUserTest {
  private final Map<String, String> env = new HashMap<>();
  private final Map<String, String> props = new HashMap<>();
  private final Supplier<String> os = () -> "osuser";

  private UserIdentity resolve() {
    Function<String, String> e = env::get;
    Function<String, String> p = props::get;
    return LoginUser.resolve(e, p, os, null);
  }

  @Test
  void theEnvironmentComesFirst() {
    env.put("HADOOP_USER_NAME", "bob");
    props.put("HADOOP_USER_NAME", "dave");
    assertThat(resolve()).isEqualTo(UserIdentity.createRemoteUser("bob"))
        .hasToString("bob (auth:SIMPLE)");
  }

  @Test
  void thenTheSystemProperty() {
    props.put("HADOOP_USER_NAME", "dave");
    assertThat(resolve()).isEqualTo(UserIdentity.createRemoteUser("dave"));
  }

  @Test
  void thenTheOsUserAndNeverUserName() {
    props.put("user.name", "carol");
    env.put("USER", "erin");
    assertThat(resolve()).isEqualTo(UserIdentity.createRemoteUser("osuser"));
  }

  @Test
  void anEmptyValueCountsAsUnset() {
    env.put("HADOOP_USER_NAME", "");
    props.put("HADOOP_USER_NAME", "dave");
    assertThat(resolve().fullName()).isEqualTo("dave");
    props.put("HADOOP_USER_NAME", "");
    assertThat(resolve().fullName()).isEqualTo("osuser");
  }

  @Test
  void hadoopProxyUserMakesTheLoginUserAProxyOfTheOneFound() {
    env.put("HADOOP_USER_NAME", "svc");
    props.put("HADOOP_PROXY_USER", "alice");
    assertThat(resolve()).hasToString("alice (auth:PROXY) via svc (auth:SIMPLE)");
    env.put("HADOOP_PROXY_USER", "bob");
    assertThat(resolve()).hasToString("bob (auth:PROXY) via svc (auth:SIMPLE)");
  }

  @Test
  void theOsUserIsTheAccountIdReports() throws Exception {
    String id = idUn();
    assumeTrue(id != null, "needs the id command");
    assertThat(LoginUser.osUserName()).isEqualTo(id);
  }

  private static String idUn() throws InterruptedException {
    try {
      Process p = new ProcessBuilder("id", "-un").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    }
  }
}

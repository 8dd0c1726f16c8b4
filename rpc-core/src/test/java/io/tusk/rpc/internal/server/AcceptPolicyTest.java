package io.tusk.rpc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.server.ServerOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The connection limit of {@link AcceptPolicy}: 0 means none, the limit itself is refused. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AcceptPolicyTest {
  private static AcceptPolicy withMax(int max) {
    return new AcceptPolicy(ServerOptions.defaults().toBuilder().maxConnections(max).build());
  }

  @Test
  void noLimitWhenTheMaximumIsZero() {
    assertThat(withMax(0).refusal(1_000_000)).isNull();
  }

  @Test
  void refusesFromTheMaximumOnNamingTheKey() {
    AcceptPolicy policy = withMax(3);
    assertThat(policy.refusal(0)).isNull();
    assertThat(policy.refusal(2)).isNull();
    assertThat(policy.refusal(3)).isEqualTo(
        "3 connections open, the maximum is 3 (ipc.server.max.connections)");
    assertThat(policy.refusal(4)).startsWith("4 connections open");
  }
}

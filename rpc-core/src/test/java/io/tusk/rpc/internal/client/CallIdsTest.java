package io.tusk.rpc.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CallIdsTest {
  @Test
  void startsAtZeroAndCountsUp() {
    CallIds ids = new CallIds();
    assertThat(ids.next()).isZero();
    assertThat(ids.next()).isEqualTo(1);
    assertThat(ids.next()).isEqualTo(2);
  }

  @Test
  void wrapsToZeroAfterMaxValueAndNeverGoesNegative() {
    CallIds ids = new CallIds(Integer.MAX_VALUE - 1);
    assertThat(ids.next()).isEqualTo(Integer.MAX_VALUE - 1);
    assertThat(ids.next()).isEqualTo(Integer.MAX_VALUE);
    assertThat(ids.next()).isZero();
    assertThat(ids.next()).isEqualTo(1);
  }

  @Test
  void concurrentCallersNeverGetTheSameId() {
    CallIds ids = new CallIds(Integer.MAX_VALUE - 5_000);
    Set<Integer> seen = ConcurrentHashMap.newKeySet();
    IntStream.range(0, 20_000).parallel().forEach(i -> {
      int id = ids.next();
      assertThat(id).isNotNegative();
      assertThat(seen.add(id)).as("duplicate id %s", id).isTrue();
    });
    assertThat(seen).hasSize(20_000);
  }
}

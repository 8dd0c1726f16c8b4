package io.tusk.rpc.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server-wide byte budget: charge, release, exhaustion at the limit, bad arguments. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ByteBudgetTest {
  @Test
  void rejectsALimitThatIsNotPositive() {
    assertThatThrownBy(() -> new ByteBudget(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> new ByteBudget(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void isExhaustedFromExactlyTheLimitAndChargesMayGoPastIt() {
    ByteBudget budget = new ByteBudget(100);
    assertThat(budget.limit()).isEqualTo(100);
    budget.charge(99);
    assertThat(budget.isExhausted()).isFalse();
    budget.charge(1);
    assertThat(budget.isExhausted()).isTrue();
    budget.charge(50); // the bytes are already in memory: counted, not refused
    assertThat(budget.used()).isEqualTo(150);
    budget.release(51);
    assertThat(budget.isExhausted()).isFalse();
    budget.release(99);
    assertThat(budget.used()).isZero();
  }

  @Test
  void rejectsNegativeChargesAndReleases() {
    ByteBudget budget = new ByteBudget(100);
    assertThatThrownBy(() -> budget.charge(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative charge");
    assertThatThrownBy(() -> budget.release(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative release");
    assertThat(budget.used()).isZero();
  }

  @Test
  void chargesAndReleasesFromManyThreadsBalance() throws Exception {
    ByteBudget budget = new ByteBudget(1_000);
    int threads = 4;
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        for (int i = 0; i < 10_000; i++) {
          budget.charge(7);
          budget.release(7);
        }
        done.countDown();
      }, "byte-budget-test-" + t);
      worker.start();
    }
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(budget.used()).isZero();
  }
}

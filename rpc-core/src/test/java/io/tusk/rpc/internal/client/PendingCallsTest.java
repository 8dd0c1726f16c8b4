package io.tusk.rpc.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class PendingCallsTest {
  private static PendingCall call(int id) {
    return new PendingCall(id, null, System.nanoTime(), 0);
  }

  @Test
  void addedCallsAreTakenByIdOnce() {
    PendingCalls table = new PendingCalls();
    PendingCall a = call(1);
    PendingCall b = call(2);
    assertThat(table.add(a)).isTrue();
    assertThat(table.add(b)).isTrue();
    assertThat(table.size()).isEqualTo(2);

    assertThat(table.remove(2)).isSameAs(b);
    assertThat(table.remove(2)).isNull();
    assertThat(table.remove(99)).isNull();
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void abandonRemovesOnlyThatExactCall() {
    PendingCalls table = new PendingCalls();
    PendingCall a = call(1);
    table.add(a);
    assertThat(table.remove(call(1))).isFalse();
    assertThat(table.remove(a)).isTrue();
    assertThat(table.remove(a)).isFalse();
    assertThat(table.size()).isZero();
  }

  @Test
  void closeIfIdleRefusesWhileACallIsPending() {
    PendingCalls table = new PendingCalls();
    PendingCall a = call(1);
    table.add(a);
    assertThat(table.closeIfIdle()).isFalse();
    assertThat(table.isClosed()).isFalse();

    table.remove(1);
    assertThat(table.closeIfIdle()).isTrue();
    assertThat(table.isClosed()).isTrue();
    assertThat(table.add(call(2))).as("closed gate admits nothing").isFalse();
    assertThat(table.closeIfIdle()).isFalse();
  }

  @Test
  void failAllFailsEveryPendingCallAndKeepsTheGateClosed() {
    PendingCalls table = new PendingCalls();
    PendingCall a = call(1);
    PendingCall b = call(2);
    table.add(a);
    table.add(b);
    table.close();
    table.close(); // idempotent
    assertThat(table.add(call(3))).isFalse();

    int failed = table.failAll(c -> new IOException("closed while waiting for call #" + c.id()));

    assertThat(failed).isEqualTo(2);
    assertThat(table.size()).isZero();
    assertThat(table.isClosed()).isTrue();
    assertThatThrownBy(a::get).isInstanceOf(ExecutionException.class)
        .cause().hasMessage("closed while waiting for call #1");
    assertThatThrownBy(b::get).cause().hasMessage("closed while waiting for call #2");
  }

  @Test
  void removingAfterCloseKeepsTheGateClosed() {
    PendingCalls table = new PendingCalls();
    PendingCall a = call(1);
    table.add(a);
    table.close();
    assertThat(table.remove(1)).isSameAs(a);
    assertThat(table.isClosed()).isTrue();
    assertThat(table.add(call(2))).isFalse();
  }

  /** The race idle-close guards against: no call is both admitted and left un-failed. */
  @Test
  void aCallRacingCloseIsEitherRefusedOrFailed() throws Exception {
    for (int round = 0; round < 200; round++) {
      PendingCalls table = new PendingCalls();
      int threads = 4;
      CountDownLatch go = new CountDownLatch(1);
      List<List<PendingCall>> admitted = new ArrayList<>();
      List<Thread> adders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<PendingCall> mine = new ArrayList<>();
        admitted.add(mine);
        int base = t * 1_000;
        Thread adder = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < 200; i++) {
            PendingCall c = call(base + i);
            if (table.add(c)) {
              mine.add(c);
            }
          }
        }, "pending-calls-test-adder-" + t);
        adders.add(adder);
        adder.start();
      }
      go.countDown();
      table.close();
      table.failAll(c -> new IOException("closed"));
      for (Thread adder : adders) {
        adder.join(TimeUnit.SECONDS.toMillis(5));
      }
      table.failAll(c -> new IOException("late")); // nothing may be left for a second drain
      for (List<PendingCall> mine : admitted) {
        for (PendingCall c : mine) {
          assertThat(c.isCompletedExceptionally()).as("admitted call #%s", c.id()).isTrue();
          assertThatThrownBy(c::get).cause().hasMessage("closed");
        }
      }
      assertThat(table.size()).isZero();
    }
  }
}

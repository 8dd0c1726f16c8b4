package io.tusk.rpc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.wire.ByteBudget;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The request budget's gate, alone: who may read while the budget is spent, how the overdraw
 * token is handed out and passed on, and that bytes held by calls block the token.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BudgetGateTest {
  private static final long LIMIT = 1_000;
  private static final long T0 = 5_000_000_000L;

  /** A connection as the gate sees it. */
  private static final class FakeConnection implements BudgetGate.Holder {
    boolean closed;
    long lastRead = T0;

    @Override
    public boolean isClosed() {
      return closed;
    }

    @Override
    public long lastReadNanos() {
      return lastRead;
    }
  }

  private final ByteBudget budget = new ByteBudget(LIMIT);
  private final BudgetGate gate = new BudgetGate(budget);
  private final FakeConnection a = new FakeConnection();
  private final FakeConnection b = new FakeConnection();

  @Test
  void belowTheLimitEveryoneReadsWithOrWithoutAPartialFrame() {
    budget.charge(LIMIT - 1);
    assertThat(gate.mayRead(a, false, T0)).isTrue();
    assertThat(gate.mayRead(b, true, T0)).isTrue();
  }

  @Test
  void atTheLimitAConnectionBetweenFramesPauses() {
    budget.charge(LIMIT);
    assertThat(gate.mayRead(a, false, T0)).isFalse();
    budget.release(1);
    assertThat(gate.mayRead(a, false, T0)).as("resumes once below the limit").isTrue();
  }

  @Test
  void whenPartialFramesHoldTheBudgetOneConnectionAtATimeMayFinishItsFrame() {
    budget.charge(LIMIT);
    assertThat(gate.mayRead(a, true, T0)).as("first asker gets the token").isTrue();
    assertThat(gate.mayRead(a, true, T0)).as("and keeps it").isTrue();
    assertThat(gate.mayRead(b, true, T0)).as("the second waits").isFalse();

    gate.done(b); // not the holder: no effect
    assertThat(gate.mayRead(b, true, T0)).isFalse();

    gate.done(a); // a's frame completed
    assertThat(gate.mayRead(b, true, T0)).as("the token passed on").isTrue();
    assertThat(gate.mayRead(a, true, T0)).isFalse();
  }

  @Test
  void aClosedHolderLosesTheToken() {
    budget.charge(LIMIT);
    assertThat(gate.mayRead(a, true, T0)).isTrue();
    a.closed = true;
    assertThat(gate.mayRead(b, true, T0)).isTrue();
  }

  @Test
  void aHolderThatSentNothingForTheStallTimeLosesTheTokenNotBefore() {
    budget.charge(LIMIT);
    assertThat(gate.mayRead(a, true, T0)).isTrue();
    assertThat(gate.mayRead(b, true, T0 + BudgetGate.STALL_NANOS))
        .as("exactly at the stall time a keeps it").isFalse();
    assertThat(gate.mayRead(b, true, T0 + BudgetGate.STALL_NANOS + 1)).isTrue();
    long now = T0 + BudgetGate.STALL_NANOS + 1;
    a.lastRead = now;
    b.lastRead = now; // the new holder reads: it keeps the token
    assertThat(gate.mayRead(a, true, now)).as("a lost it, though it reads again").isFalse();
    assertThat(gate.mayRead(b, true, now)).isTrue();
  }

  @Test
  void bytesHeldByCallsBlockTheTokenUntilTheCallsFinish() {
    budget.charge(LIMIT);
    gate.callQueued((int) (LIMIT / 2));
    assertThat(gate.mayRead(a, true, T0)).as("calls free the budget themselves").isFalse();
    gate.callFinished((int) (LIMIT / 2));
    assertThat(gate.mayRead(a, true, T0)).isTrue();
  }

  @Test
  void theHolderKeepsReadingEvenWhileCallsHoldTheBudget() {
    budget.charge(LIMIT);
    assertThat(gate.mayRead(a, true, T0)).isTrue();
    gate.callQueued((int) LIMIT);
    assertThat(gate.mayRead(a, true, T0)).as("its frame must finish to free anything").isTrue();
    assertThat(gate.mayRead(b, true, T0)).isFalse();
  }
}

package io.tusk.rpc.examples.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.examples.Calculator;
import io.tusk.rpc.testing.Await;
import io.tusk.rpc.testing.Fault;
import io.tusk.rpc.testing.FaultInjectingProxy;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.ProxiedConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 9, finding 6: a connection that goes silent without closing (a half-dead peer, a dropped
 * NAT entry) must be abandoned after the first RPC timeout, so that later calls go to a fresh
 * connection instead of each waiting out its timeout on the dead one.
 *
 * <p>16 threads share one client connection to the Writable {@link Calculator} through a
 * {@link FaultInjectingProxy}. A fault-free run of 16 × 5,000 calls sets the scale; in a second
 * run the proxy silences that connection once a tenth of the calls have ended. Every call must
 * end, almost all successfully, and the run may take at most {@code 10 × fault-free + 10 s}: a
 * liveness bound (the client keeps serving), deliberately generous, not a speed assertion. The
 * faulty run stops issuing calls at that bound, so a client that never leaves the dead connection
 * fails here with counts rather than in the JUnit timeout.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@ExtendWith(LeakCheck.class)
class SilentlyDeadConnectionTest {
  private static final Logger LOG = LoggerFactory.getLogger(SilentlyDeadConnectionTest.class);
  private static final int THREADS = 16;
  private static final int CALLS = 5_000;
  private static final long TOTAL = (long) THREADS * CALLS;
  /** Callers still in a call at the bound get this long to end (timeout + 1 s, and slack). */
  private static final Duration DRAIN = FaultRig.RPC_TIMEOUT.plusSeconds(8);
  /** The first timeout comes at most one RPC timeout after the silence; allow that and slack. */
  private static final Duration ABANDON_WITHIN = FaultRig.RPC_TIMEOUT.plusSeconds(5);

  private FaultRig rig;
  private CallLoad load;

  @AfterEach
  void closeEverything() throws Exception {
    if (rig != null) {
      rig.client.close(); // fails calls still pending, so stuck callers return
    }
    if (load != null) {
      load.close();
    }
    if (rig != null) {
      rig.close();
    }
  }

  private CallLoad.Op adds() {
    Calculator calculator = rig.calculator;
    return (thread, i) -> {
      long sum = calculator.add(thread, i);
      if (sum != thread + i) {
        throw new AssertionError("add(" + thread + ", " + i + ") = " + sum);
      }
    };
  }

  /**
   * {@code DISCARD}: the proxy reads and throws away both directions (the client's writes go
   * through, nothing comes back, its close is swallowed). {@code STALL}: it stops reading both.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Fault.Kind.class, names = {"DISCARD", "STALL"})
  void afterTheFirstTimeoutTheClientLeavesTheSilentConnectionAndEveryCallEnds(Fault.Kind silence)
      throws Exception {
    rig = new FaultRig("silent-" + silence.name().toLowerCase(), FaultInjectingProxy.PASS_THROUGH);
    CallLoad.Op op = adds();
    op.call(0, 0); // warm-up: connects
    assertThat(rig.proxy.accepted()).isEqualTo(1);

    load = CallLoad.start(rig.name + "-free", THREADS, CALLS, op, rig.clearFailure());
    CallLoad.Result free = load.finish(Duration.ofMinutes(3), DRAIN);
    load.close();
    LOG.info("fault-free run: {}", free.summary());
    assertThat(free.succeeded()).as("fault-free run: %s", free.summary()).isEqualTo(TOTAL);
    List<ProxiedConnection> live = rig.proxy.openConnectionList();
    assertThat(live).as("the one connection all callers share").hasSize(1);
    ProxiedConnection shared = live.get(0);
    int acceptedBefore = rig.proxy.accepted();

    Duration bound = free.elapsed().multipliedBy(10).plusSeconds(10);
    load = CallLoad.start(rig.name + "-faulty", THREADS, CALLS, op, rig.clearFailure());
    Await.until(Duration.ofMinutes(2), "a tenth of the calls to end",
        () -> load.ended() >= TOTAL / 10);
    long silencedAt = System.nanoTime();
    if (silence == Fault.Kind.DISCARD) {
      shared.blackhole();
    } else {
      shared.stall();
    }
    CallLoad.Result faulty = load.finish(bound, DRAIN);
    LOG.info("faulty run (bound {} ms): {}; {}", bound.toMillis(), faulty.summary(),
        rig.proxy.summary());

    SoftAssertions soft = new SoftAssertions();
    List<ProxiedConnection> after = rig.proxy.connections();
    soft.assertThat(after.size()).as("connections accepted after the silence (the client "
        + "must leave the silent one); %s", faulty.summary()).isGreaterThan(acceptedBefore);
    if (after.size() > acceptedBefore) {
      long newAfterMs = TimeUnit.NANOSECONDS.toMillis(
          after.get(acceptedBefore).acceptedNanos() - silencedAt);
      LOG.info("first new connection {} ms after the silence", newAfterMs);
      soft.assertThat(newAfterMs).as("ms from the silence to the first new connection")
          .isLessThanOrEqualTo(ABANDON_WITHIN.toMillis());
    }
    if (silence == Fault.Kind.DISCARD) {
      // Only a reading proxy sees the client close its end. It must be the timeout that closes
      // it: a connection left idle after the run would close anyway (ipc.client.connection.
      // maxidletime), so the close counts only when it came soon after the silence.
      long closedAfterMs = shared.clientClosed()
          ? TimeUnit.NANOSECONDS.toMillis(shared.clientClosedNanos() - silencedAt) : -1;
      LOG.info("the client closed the silent connection {} ms after the silence (-1: never)",
          closedAfterMs);
      soft.assertThat(closedAfterMs).as("ms from the silence to the client closing the silent "
          + "connection (-1: never)").isBetween(0L, ABANDON_WITHIN.toMillis());
    }
    soft.assertThat(faulty.stuckCallers()).as("callers stuck in a call after the bound + drain")
        .isZero();
    soft.assertThat(faulty.ended()).as("calls that ended within %s ms (10 x fault-free %s ms + "
        + "10 s): %s", bound.toMillis(), free.elapsed().toMillis(), faulty.summary())
        .isEqualTo(TOTAL);
    soft.assertThat(faulty.wrong()).as("wrong results").isZero();
    soft.assertThat(faulty.unclear()).as("failures that are not an IOException naming the server:"
        + " %s", faulty.samples()).isZero();
    soft.assertThat(faulty.successRatio()).as("share of calls that succeeded: %s",
        faulty.summary()).isGreaterThanOrEqualTo(0.99);
    soft.assertAll();
  }
}

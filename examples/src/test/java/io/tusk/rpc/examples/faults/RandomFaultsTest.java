package io.tusk.rpc.examples.faults;

import io.tusk.rpc.client.Client;
import io.tusk.rpc.examples.KeyValueClientSideTranslatorPB;
import io.tusk.rpc.testing.Await;
import io.tusk.rpc.testing.Fault;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.RandomFaults;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 9, "every call ends": 16 threads make 5,000 calls each, alternating the Writable
 * {@code Calculator.add} and the protobuf key-value {@code get}, through a proxy that resets,
 * truncates, silently drops (discarding or no longer reading, one or both ways) and delays
 * connections at random, with a 2 s RPC timeout. Every call must end with its result or an
 * IOException naming the server, each within its deadline + 1 s; afterwards no thread of the
 * client, server or proxy is left and the server holds no connection.
 *
 * <p>The faults come from {@link RandomFaults} with a logged seed; replay a failure with
 * {@code -Dtusk.faults.seed=<seed>}. The rates keep the run well under a minute for a client
 * that leaves a silent connection after one timeout; the callers stop issuing at
 * {@link #RUN_BOUND}, so a client that never does fails here with counts.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(LeakCheck.class)
class RandomFaultsTest {
  private static final Logger LOG = LoggerFactory.getLogger(RandomFaultsTest.class);
  private static final int THREADS = 16;
  private static final int CALLS = 5_000;
  private static final long TOTAL = (long) THREADS * CALLS;
  private static final Duration RUN_BOUND = Duration.ofSeconds(40);
  private static final Duration DRAIN = FaultRig.RPC_TIMEOUT.plusSeconds(8);
  private static final Duration CALL_BOUND = FaultRig.RPC_TIMEOUT.plusSeconds(1);
  /** Faults are frequent, but most calls should still land; a client failing them all fails. */
  private static final double MIN_SUCCESS = 0.90;
  private static final int MIN_FAULTS = 10;

  private FaultRig rig;
  private CallLoad load;

  @AfterEach
  void closeEverything() throws Exception {
    if (rig != null) {
      rig.client.close();
    }
    if (load != null) {
      load.close();
    }
    if (rig != null) {
      rig.close();
    }
  }

  /**
   * The weights add up to 1, so every connection fails sooner or later and faults keep coming for
   * the whole run (a pass-through connection would live on and end them). Faults start after up
   * to 384 KiB: some 35 connections in a run, about 8 of them silent, each of which costs a
   * client that reacts to its first timeout about 2 s of the run.
   */
  private static RandomFaults faults() {
    return RandomFaults.builder().seedFromPropertyOrClock()
        .reset(0.4).truncate(0.25).discard(0.1).stall(0.1).delay(0.15, 10)
        .maxTriggerBytes(384 * 1024).atOnce(0.1)
        .build();
  }

  private static byte[] value(int thread) {
    return ("value of " + thread).getBytes(StandardCharsets.UTF_8);
  }

  /** Even calls add on the Writable engine, odd ones get a key on the protobuf engine. */
  private CallLoad.Op bothEngines() {
    return (thread, i) -> {
      if (i % 2 == 0) {
        long sum = rig.calculator.add(thread, i);
        if (sum != thread + i) {
          throw new AssertionError("add(" + thread + ", " + i + ") = " + sum);
        }
      } else {
        byte[] got = rig.keyValue.get("key-" + thread);
        if (!Arrays.equals(got, value(thread))) {
          throw new AssertionError("get(key-" + thread + ") = "
              + new String(got, StandardCharsets.UTF_8));
        }
      }
    };
  }

  /** Stores each thread's key straight on the server, around the proxy and its faults. */
  private void storeKeys() throws Exception {
    InetSocketAddress direct = new InetSocketAddress("127.0.0.1", rig.server.address().getPort());
    try (Client client = Client.builder().name(rig.name + "-direct")
        .options(FaultRig.clientOptions()).build();
        KeyValueClientSideTranslatorPB kv = KeyValueClientSideTranslatorPB.connect(client,
            direct)) {
      for (int t = 0; t < THREADS; t++) {
        kv.put("key-" + t, value(t));
      }
    }
  }

  @Test
  void everyCallOfBothEnginesEndsWithinItsDeadlineAndNothingLeaks() throws Exception {
    RandomFaults faults = faults();
    rig = new FaultRig("faults", faults);
    storeKeys();
    String seed = "seed " + faults.seed() + " (-D" + RandomFaults.SEED_PROPERTY + "="
        + faults.seed() + ")";

    load = CallLoad.start(rig.name, THREADS, CALLS, bothEngines(), rig.clearFailure());
    CallLoad.Result result = load.finish(RUN_BOUND, DRAIN);
    LOG.info("random faults, {}: {}; {}", seed, result.summary(), rig.proxy.summary());

    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(result.stuckCallers()).as("callers stuck in a call after the bound + drain, "
        + "%s", seed).isZero();
    soft.assertThat(result.ended()).as("calls that ended within %s s, %s: %s",
        RUN_BOUND.toSeconds(), seed, result.summary()).isEqualTo(TOTAL);
    soft.assertThat(result.maxCallNanos()).as("longest call in ms (bound: RPC timeout + 1 s), "
        + "%s: %s", seed, result.slowestCall())
        .isLessThanOrEqualTo(CALL_BOUND.toNanos());
    soft.assertThat(result.wrong()).as("wrong results, %s: %s", seed, result.samples()).isZero();
    soft.assertThat(result.unclear()).as("failures that are not an IOException naming the "
        + "server, %s: %s", seed, result.samples()).isZero();
    soft.assertThat(result.successRatio()).as("share of calls that succeeded, %s: %s", seed,
        result.summary()).isGreaterThanOrEqualTo(MIN_SUCCESS);
    long started = 0;
    for (Fault.Kind kind : Fault.Kind.values()) {
      started += rig.proxy.faultsStarted(kind);
    }
    soft.assertThat(started).as("faults the proxy injected: %s", rig.proxy.summary())
        .isGreaterThanOrEqualTo(MIN_FAULTS);

    load.close();
    rig.client.close();
    rig.proxy.close();
    try {
      Await.until(Duration.ofSeconds(10), "the server to hold no connection",
          () -> rig.serverConnections() == 0);
    } catch (AssertionError e) {
      soft.fail(e.getMessage() + " (" + rig.serverConnections() + " open), " + seed);
    }
    soft.assertAll();
  }
}

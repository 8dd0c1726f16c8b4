package io.tusk.rpc.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.server.MethodStats;
import io.tusk.rpc.server.RpcMetrics;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.Await;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.RawRpcPeer;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The per-call timing record and the response time it gives the metrics, over a real socket. */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class CallTimingsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final String name = Threads.uniqueName("timing");
  private final List<ServerCall> calls = new CopyOnWriteArrayList<>();
  /** What the interceptor saw of the timings while the call ran. */
  private final List<long[]> duringCall = new CopyOnWriteArrayList<>();
  private Server server;

  @BeforeEach
  void start() throws IOException {
    TextEngine engine = new TextEngine(Collections.synchronizedList(new ArrayList<>()));
    server = Server.builder().name(name).handlerCount(2).engine(engine.registration())
        .interceptor((call, next) -> {
          calls.add(call);
          CallTimings t = call.timings();
          duringCall.add(new long[] {t.handlerEndNanos(), t.responseWrittenNanos()});
          return next.proceed();
        }).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
    Threads.assertNoneAlive(name, WAIT);
  }

  private static void assertOrdered(CallTimings t) {
    assertThat(t.enqueuedNanos()).isNotZero();
    assertThat(t.dequeuedNanos()).isGreaterThanOrEqualTo(t.enqueuedNanos());
    assertThat(t.handlerStartNanos()).isGreaterThanOrEqualTo(t.dequeuedNanos());
    assertThat(t.handlerEndNanos()).isGreaterThanOrEqualTo(t.handlerStartNanos());
    assertThat(t.responseWrittenNanos()).isGreaterThan(t.handlerEndNanos());
    assertThat(t.queueNanos()).isGreaterThanOrEqualTo(0);
    assertThat(t.processingNanos()).isGreaterThanOrEqualTo(0);
    assertThat(t.responseNanos()).isPositive();
  }

  @Test
  void everyTimestampIsSetInOrderAndTheMetricsCountTheResponses() throws IOException {
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "u")) {
      for (int i = 0; i < 5; i++) {
        RawRpcPeer.Response r = peer.call(RpcKind.RPC_BUILTIN, i,
            ("echo:call " + i).getBytes(StandardCharsets.UTF_8)).readResponse();
        assertThat(r.text()).isEqualTo("CALL " + i);
      }
    }
    RpcMetrics metrics = server.metrics();
    // the last byte reaches the client before the writer stamps it: wait for the stamp
    Await.until(WAIT, "five responses recorded", () -> metrics.responsesWritten() == 5);

    assertThat(calls).hasSize(5);
    long responseNanos = 0;
    for (ServerCall call : calls) {
      assertOrdered(call.timings());
      responseNanos += call.timings().responseNanos();
    }
    for (long[] seen : duringCall) {
      assertThat(seen).containsExactly(0L, 0L); // inside the chain neither end is known yet
    }
    MethodStats echo = metrics.method("echo");
    assertThat(echo.getCalls()).isEqualTo(5);
    assertThat(echo.getResponses()).isEqualTo(5);
    assertThat(echo.getResponseTimeTotalMicros()).isEqualTo(responseNanos / 1_000);
    assertThat(metrics.responseTimeAvgMicros()).isEqualTo(responseNanos / 1_000.0 / 5);
  }

  @Test
  void aResponseWaitingForASlowReaderIsStampedWhenItsLastByteIsWritten() throws IOException {
    int size = 16 * 1024 * 1024; // far more than the socket buffers hold
    try (RawRpcPeer peer = RawRpcPeer.connectWithReceiveBuffer(server.getListenerAddress(), 4096)
        .preamble().context("u", "test.TextProtocol")) {
      peer.call(RpcKind.RPC_BUILTIN, 1, ("repeat:" + size).getBytes(StandardCharsets.UTF_8));
      Await.until(WAIT, "the call handled", () -> server.metrics().callsTotal() == 1);
      long handledSeen = System.nanoTime();

      assertThat(server.metrics().responsesWritten()).isZero(); // the peer reads nothing yet
      RawRpcPeer.Response r = peer.readResponse();

      assertThat(r.header().getStatus()).isEqualTo(RpcStatusProto.SUCCESS);
      assertThat(r.payload()).hasSize(size);
    }
    Await.until(WAIT, "the response recorded", () -> server.metrics().responsesWritten() == 1);
    CallTimings t = calls.get(0).timings();
    assertOrdered(t);
    MethodStats repeat = server.metrics().method("repeat");
    assertThat(repeat.getResponses()).isEqualTo(1);
    assertThat(repeat.getResponseTimeTotalMicros()).isEqualTo(t.responseNanos() / 1_000);
  }
}

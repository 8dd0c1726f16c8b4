package io.tusk.rpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.testing.Await;
import io.tusk.rpc.testing.ScriptedServer;
import io.tusk.rpc.testing.ScriptedServer.Action;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * The send side under a socket that stops taking bytes: asynchronous calls never block, the send
 * queue is bounded, abandoned requests are never sent, and no write holds a caller or a dead
 * connection past a deadline.
 */
@Timeout(60)
class ClientSendTest extends ClientTestSupport {
  private static final long SLACK_MS = 1_000;

  private static Action script(ScriptedServer.Request r) {
    String text = r.payloadText();
    if (text.startsWith("never")) {
      return Action.none();
    }
    if (text.startsWith("late")) {
      return Action.after(Duration.ofMillis(300), Action.reply("re:" + text));
    }
    return Action.reply("re:" + text);
  }

  private static ClientOptions withRpcTimeout(Duration rpcTimeout) {
    return shortTimeouts().withRpcTimeout(rpcTimeout);
  }

  /** What a thread's call returned or threw, and after how long. */
  private record Outcome(String result, Throwable failure, long elapsedMs) {}

  private static CompletableFuture<Outcome> callInThread(String name, Client client,
      String payload, ConnectionId remote) {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      long start = System.nanoTime();
      String result = null;
      Throwable failure = null;
      try {
        result = text(client.call(KIND, text(payload), remote));
      } catch (Throwable e) {
        failure = e;
      }
      outcome.complete(new Outcome(result, failure,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
    }, name);
    t.setDaemon(true);
    t.start();
    return outcome;
  }

  @Test
  void asyncCallsReturnAtOnceOnAStalledSocketAndTheQueueBoundFailsTheOneThatWouldPassIt(
      TestInfo test) throws Exception {
    ScriptedServer server = server(test, ClientSendTest::script);
    StallingSocketFactory sockets = new StallingSocketFactory();
    Client client = client(test, Client.builder().socketFactory(sockets).options(
        withRpcTimeout(Duration.ZERO).toBuilder().sendQueueMaxBytes(100 * 1024).build()));
    ConnectionId remote = id(server);
    assertThat(text(client.call(KIND, text("warm"), remote))).isEqualTo("re:warm");
    RpcPayload big = RpcPayload.ofBytes(new byte[40 * 1024]);
    sockets.stallWrites();

    CompletableFuture<ByteBuffer> first = client.callAsync(KIND, big, remote);
    Await.until(() -> sockets.stalledWrites() == 1, PROMPTLY, "an I/O thread stuck writing");
    CompletableFuture<ByteBuffer> second = client.callAsync(KIND, big, remote);
    CompletableFuture<ByteBuffer> third = client.callAsync(KIND, big, remote);

    assertThat(first).as("stuck in a write, its 40 KiB still counted").isNotDone();
    assertThat(second).as("fits into the queue: 80 KiB in all").isNotDone();
    assertThat(third).as("fails at once: it would pass the bound").isDone();
    assertThat(failureOf(third)).isInstanceOf(IOException.class)
        .hasMessageContaining(server.address().toString())
        .hasMessageContaining("bytes of requests already wait")
        .hasMessageContaining("limit is 102400")
        .hasMessageContaining(IpcKeys.CLIENT_SEND_QUEUE_MAX_BYTES);
    assertThat(client.pendingCallCount()).isEqualTo(2);
    client.close();
    assertThat(failureOf(first)).hasMessageContaining("client closed");
    assertThat(failureOf(second)).hasMessageContaining("client closed");
  }

  @Test
  void aRequestAbandonedWhileQueuedIsNeverSent(TestInfo test) throws Exception {
    ScriptedServer server = server(test, ClientSendTest::script);
    StallingSocketFactory sockets = new StallingSocketFactory();
    Client client = client(test, Client.builder().socketFactory(sockets)
        .options(withRpcTimeout(Duration.ofSeconds(20))));
    ConnectionId remote = id(server);
    assertThat(text(client.call(KIND, text("warm"), remote))).isEqualTo("re:warm");
    CountDownLatch holding = sockets.holdNextWrite();

    CompletableFuture<ByteBuffer> sent = client.callAsync(KIND, text("sent"), remote);
    assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<ByteBuffer> abandoned = client.callAsync(KIND, text("abandoned"), remote);
    assertThat(abandoned.cancel(false)).isTrue();
    sockets.releaseHeldWrite();

    assertThat(text(sent.get(5, TimeUnit.SECONDS))).isEqualTo("re:sent");
    assertThat(text(client.call(KIND, text("after"), remote))).isEqualTo("re:after");
    assertThat(server.requests()).extracting(ScriptedServer.Request::payloadText)
        .containsExactly("warm", "sent", "after");
    assertThat(client.pendingCallCount()).isZero();
  }

  @Test
  void aCallerStuckWritingTheRequestsOfOthersIsFreedShortlyAfterItsOwnDeadline(TestInfo test)
      throws Exception {
    ScriptedServer server = server(test, ClientSendTest::script);
    StallingSocketFactory sockets = new StallingSocketFactory();
    Client client = client(test, Client.builder().socketFactory(sockets)
        .options(withRpcTimeout(Duration.ofMillis(500))));
    ConnectionId remote = id(server);
    assertThat(text(client.call(KIND, text("warm"), remote))).isEqualTo("re:warm");
    CountDownLatch holding = sockets.holdNextWrite();

    CompletableFuture<Outcome> writer = callInThread(client.name() + "-test-writer", client,
        "mine", remote);
    assertThat(holding.await(5, TimeUnit.SECONDS)).as("the writer is in its flush").isTrue();
    // Queued behind the writer, without deadlines: the writer takes them on after its own.
    List<CompletableFuture<ByteBuffer>> others = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      others.add(client.callAsync(KIND, text("never-" + i), remote, Duration.ZERO));
    }
    sockets.stallWrites();
    sockets.releaseHeldWrite();

    Outcome outcome = writer.get(10, TimeUnit.SECONDS);
    assertThat(outcome.failure()).isNull();
    assertThat(outcome.result()).as("its own call was answered meanwhile").isEqualTo("re:mine");
    assertThat(outcome.elapsedMs()).isLessThanOrEqualTo(500 + SLACK_MS);
    for (CompletableFuture<ByteBuffer> other : others) {
      assertThat(failureOf(other)).isInstanceOf(SocketTimeoutException.class)
          .hasMessageContaining(server.address().toString())
          .hasMessageContaining("closed as dead");
    }
    sockets.resume();
    assertThat(text(client.call(KIND, text("fresh"), remote))).isEqualTo("re:fresh");
    assertThat(server.peers()).hasSize(2);
  }

  @Test
  void aRequestStuckUnsentPastItsDeadlineClosesTheConnectionEvenWhileAnswersArrive(
      TestInfo test) throws Exception {
    ScriptedServer server = server(test, ClientSendTest::script);
    StallingSocketFactory sockets = new StallingSocketFactory();
    Client client = client(test, Client.builder().socketFactory(sockets)
        .options(withRpcTimeout(Duration.ofSeconds(1))));
    ConnectionId remote = id(server);
    assertThat(text(client.call(KIND, text("warm"), remote))).isEqualTo("re:warm");
    CompletableFuture<ByteBuffer> late = client.callAsync(KIND, text("late"), remote,
        Duration.ofSeconds(10));
    server.awaitRequests(2, PROMPTLY);
    sockets.stallWrites();

    CompletableFuture<Outcome> stuck = callInThread(client.name() + "-test-stuck", client,
        "stuck", remote);

    assertThat(text(late.get(5, TimeUnit.SECONDS))).as("answered during the stall")
        .isEqualTo("re:late");
    Outcome outcome = stuck.get(10, TimeUnit.SECONDS);
    assertThat(outcome.failure()).isInstanceOf(SocketTimeoutException.class)
        .hasMessageContaining(server.address().toString())
        .hasMessageContaining("1000 ms");
    assertThat(outcome.elapsedMs()).isLessThanOrEqualTo(1_000 + SLACK_MS);
    server.peers().get(0).awaitEnded(PROMPTLY);
    sockets.resume();
    assertThat(text(client.call(KIND, text("fresh"), remote))).isEqualTo("re:fresh");
    assertThat(server.peers()).hasSize(2);
  }
}

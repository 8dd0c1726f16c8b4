package io.tusk.rpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RetriableException;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcKindProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcRequestHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.testing.ScriptedServer;
import io.tusk.rpc.testing.ScriptedServer.Action;
import io.tusk.rpc.testing.ScriptedServer.Handshake;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/** Calls that work: round trips, what goes on the wire, sharing and separating connections. */
@Timeout(60)
class ClientCallTest extends ClientTestSupport {

  private static Action echo(ScriptedServer.Request r) {
    return Action.reply("re:" + r.payloadText());
  }

  @Test
  void callRoundTripsBytesAndStampsKindCallIdClientIdAndRetryCount(TestInfo test)
      throws Exception {
    ScriptedServer server = server(test, ClientCallTest::echo);
    Client client = client(test, shortTimeouts());

    ByteBuffer first = client.call(RpcKind.RPC_WRITABLE, text("hello"), id(server));
    ByteBuffer second = client.callAsync(RpcKind.RPC_PROTOCOL_BUFFER, text("again"), id(server), 3)
        .get(5, TimeUnit.SECONDS);

    assertThat(text(first)).isEqualTo("re:hello");
    assertThat(text(second)).isEqualTo("re:again");
    List<ScriptedServer.Request> requests = server.requests();
    assertThat(requests).hasSize(2);
    RpcRequestHeaderProto h1 = requests.get(0).header();
    RpcRequestHeaderProto h2 = requests.get(1).header();
    assertThat(h1.getRpcKind()).isEqualTo(RpcKindProto.RPC_WRITABLE);
    assertThat(h2.getRpcKind()).isEqualTo(RpcKindProto.RPC_PROTOCOL_BUFFER);
    assertThat(h1.getRpcOp()).isEqualTo(RpcRequestHeaderProto.OperationProto.RPC_FINAL_PACKET);
    assertThat(h1.getCallId()).isZero();
    assertThat(h2.getCallId()).isEqualTo(1);
    assertThat(h1.getClientId().toByteArray()).hasSize(16).isEqualTo(client.clientId());
    assertThat(h2.getClientId().toByteArray()).isEqualTo(client.clientId());
    assertThat(h1.hasRetryCount()).isTrue();
    assertThat(h1.getRetryCount()).as("a first attempt, as Hadoop's client sends it").isZero();
    assertThat(h2.getRetryCount()).isEqualTo(3);
    assertThat(requests.get(0).payloadText()).isEqualTo("hello");
  }

  @Test
  void clientIdsAreSixteenRandomBytesPerClient(TestInfo test) {
    Client a = client(test, shortTimeouts());
    Client b = client(test, shortTimeouts());
    assertThat(a.clientId()).hasSize(16).isNotEqualTo(b.clientId());
    assertThat(a.clientId()).isEqualTo(a.clientId());
  }

  /** Hand-assembled from WIRE.md: preamble, then the context frame with call id -3. */
  @Test
  void preambleAndConnectionContextAreExactlyTheWireBytes(TestInfo test) throws Exception {
    ScriptedServer server = server(test, ClientCallTest::echo);
    Client client = client(test, shortTimeouts());
    client.call(KIND, text("x"), new ConnectionId(server.address(), "test.Proto", "alice"));
    Handshake hs = server.awaitPeer(0, PROMPTLY).handshake(PROMPTLY);

    assertThat(hs.preamble()).containsExactly('h', 'r', 'p', 'c', 9, 0, 0);

    byte[] cid = client.clientId();
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    header.write(new byte[] {0x08, 0x02}); // rpcKind = RPC_PROTOCOL_BUFFER
    header.write(new byte[] {0x10, 0x00}); // rpcOp = RPC_FINAL_PACKET
    header.write(new byte[] {0x18, 0x05}); // callId = -3 (sint32 zigzag 5)
    header.write(new byte[] {0x22, 0x10}); // clientId, 16 bytes
    header.write(cid);
    header.write(new byte[] {0x28, 0x01}); // retryCount = -1 (zigzag 1)
    ByteArrayOutputStream context = new ByteArrayOutputStream();
    context.write(new byte[] {0x12, 0x07, 0x0a, 0x05}); // userInfo { effectiveUser (5 bytes)
    context.write("alice".getBytes(StandardCharsets.US_ASCII));
    context.write(new byte[] {0x1a, 0x0a}); // protocol (10 bytes)
    context.write("test.Proto".getBytes(StandardCharsets.US_ASCII));
    assertThat(header.size()).isEqualTo(26);
    assertThat(context.size()).isEqualTo(21);
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(new byte[] {0, 0, 0, 49, 26});
    header.writeTo(frame);
    frame.write(21);
    context.writeTo(frame);

    assertThat(hs.contextFrame()).isEqualTo(frame.toByteArray());
    assertThat(hs.user()).isEqualTo("alice");
    assertThat(hs.protocol()).isEqualTo("test.Proto");
    assertThat(hs.clientId()).isEqualTo(cid);
  }

  @Test
  void sixtyFourThreadsShareOneConnectionAndEveryResponseFindsItsCaller(TestInfo test)
      throws Exception {
    // Random delays on the server's delay thread answer out of order.
    ScriptedServer server = server(test, r -> Action.after(
        Duration.ofNanos(ThreadLocalRandom.current().nextLong(300_000)), echo(r)));
    Client client = client(test, shortTimeouts());
    ConnectionId remote = id(server);
    int threads = 64;
    int callsPerThread = 1_000;
    AtomicInteger threadIds = new AtomicInteger();
    ExecutorService callers = Executors.newFixedThreadPool(threads,
        r -> new Thread(r, client.name() + "-test-caller-" + threadIds.getAndIncrement()));
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int caller = t;
        done.add(callers.submit(() -> {
          int matched = 0;
          for (int i = 0; i < callsPerThread; i += 2) {
            String async = "caller-" + caller + "-call-" + i;
            String sync = "caller-" + caller + "-call-" + (i + 1);
            CompletableFuture<ByteBuffer> pending = client.callAsync(KIND, text(async), remote);
            assertThat(text(client.call(KIND, text(sync), remote))).isEqualTo("re:" + sync);
            assertThat(text(pending.get(20, TimeUnit.SECONDS))).isEqualTo("re:" + async);
            matched += 2;
          }
          return matched;
        }));
      }
      int matched = 0;
      for (Future<Integer> f : done) {
        matched += f.get(50, TimeUnit.SECONDS);
      }
      assertThat(matched).isEqualTo(threads * callsPerThread);
    } finally {
      callers.shutdownNow();
      assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(server.peers()).hasSize(1);
    assertThat(client.connectionCount()).isEqualTo(1);
    assertThat(server.requests()).hasSize(threads * callsPerThread);
    assertThat(server.peers().get(0).outOfOrderReplies())
        .as("replies went out out of order").isPositive();
  }

  @Test
  void callsShareAConnectionPerConnectionIdAndSeparateDifferentIds(TestInfo test)
      throws Exception {
    ScriptedServer server = server(test, ClientCallTest::echo);
    Client client = client(test, shortTimeouts());
    ConnectionId a = new ConnectionId(server.address(), "p.A", "alice");
    ConnectionId sameAsA = new ConnectionId(server.address(), "p.A", "alice");
    ConnectionId otherProtocol = new ConnectionId(server.address(), "p.B", "alice");
    ConnectionId otherUser = new ConnectionId(server.address(), "p.A", "bob");

    client.call(KIND, text("1"), a);
    client.call(KIND, text("2"), sameAsA);
    client.call(KIND, text("3"), a);
    assertThat(server.peers()).hasSize(1);
    assertThat(client.connectionCount()).isEqualTo(1);

    client.call(KIND, text("4"), otherProtocol);
    client.call(KIND, text("5"), otherUser);
    client.call(KIND, text("6"), otherProtocol);

    assertThat(server.peers()).hasSize(3);
    assertThat(client.connectionCount()).isEqualTo(3);
    Handshake h0 = server.peers().get(0).handshake(PROMPTLY);
    Handshake h1 = server.peers().get(1).handshake(PROMPTLY);
    Handshake h2 = server.peers().get(2).handshake(PROMPTLY);
    assertThat(List.of(h0.protocol(), h1.protocol(), h2.protocol()))
        .containsExactly("p.A", "p.B", "p.A");
    assertThat(List.of(h0.user(), h1.user(), h2.user())).containsExactly("alice", "alice", "bob");
  }

  @Test
  void errorAnswerBecomesRemoteExceptionAndTheConnectionLivesOn(TestInfo test) throws Exception {
    ScriptedServer server = server(test, r -> r.payloadText().equals("busy")
        ? Action.error("org.apache.hadoop.ipc.RetriableException", "server is busy",
            RpcErrorCodeProto.ERROR_RPC_SERVER)
        : echo(r));
    Client client = client(test, shortTimeouts());

    RemoteException remote = (RemoteException) org.assertj.core.api.Assertions.catchThrowable(
        () -> client.call(KIND, text("busy"), id(server)));

    assertThat(remote).isNotNull();
    assertThat(remote.getClassName()).isEqualTo("org.apache.hadoop.ipc.RetriableException");
    assertThat(remote.getMessage()).isEqualTo("server is busy");
    assertThat(remote.getErrorCode()).isEqualTo(RpcErrorCodeProto.ERROR_RPC_SERVER);
    IOException unwrapped = remote.unwrapRemoteException(RetriableException.class);
    assertThat(unwrapped).isInstanceOf(RetriableException.class).hasMessage("server is busy")
        .hasCause(remote);
    assertThatThrownBy(() -> client.callAsync(KIND, text("busy"), id(server)).join())
        .hasCauseInstanceOf(RemoteException.class);

    assertThat(text(client.call(KIND, text("ok"), id(server)))).isEqualTo("re:ok");
    assertThat(server.peers()).hasSize(1);
  }
}

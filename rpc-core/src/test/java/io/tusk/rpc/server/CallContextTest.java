package io.tusk.rpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.tusk.rpc.spi.ServerEngine;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.proto.RpcHeaderProtos.RPCCallerContextProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RPCTraceInfoProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcRequestHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.security.AuthMethod;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.RawRpcPeer;
import io.tusk.rpc.testing.Threads;
import io.tusk.rpc.wire.RpcHeaders;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a handler sees in its CallContext for the request headers a client sends. */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class CallContextTest {
  private final String name = Threads.uniqueName("ctx");
  private final BlockingQueue<CallContext> seen = new LinkedBlockingQueue<>();
  private Server server;

  @BeforeEach
  void start() throws IOException {
    ServerEngine<String> capture = ServerEngine.of("test.capture", RpcKind.RPC_BUILTIN,
        bytes -> "request",
        (srv, call, request) -> {
          seen.add(call);
          return RpcPayload.empty();
        });
    server = Server.builder().name(name).handlerCount(1).engine(capture).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
  }

  private CallContext send(RawRpcPeer peer, RpcRequestHeaderProto header) throws Exception {
    RawRpcPeer.Response response = peer.sendFrame(header, RpcPayload.empty()).readResponse();
    assertThat(response.header().getStatus()).isEqualTo(RpcStatusProto.SUCCESS);
    CallContext context = seen.poll(10, TimeUnit.SECONDS);
    assertThat(context).isNotNull();
    return context;
  }

  @Test
  void callerContextTraceInfoAndStateIdFromTheHeaderReachTheHandler() throws Exception {
    RPCCallerContextProto callerContext = RPCCallerContextProto.newBuilder()
        .setContext("audit:job_42").setSignature(ByteString.copyFromUtf8("sig")).build();
    RPCTraceInfoProto trace = RPCTraceInfoProto.newBuilder().setTraceId(7L).setParentId(9L)
        .setSpanContext(ByteString.copyFrom(new byte[] {1, 2, 3})).build();
    try (RawRpcPeer peer = RawRpcPeer.connect(server.getListenerAddress()).preamble()
        .context("alice", "test.Proto")) {
      RpcRequestHeaderProto header = RpcHeaders.request(RpcKind.RPC_BUILTIN, 5, 2,
          peer.clientId()).toBuilder().setCallerContext(callerContext).setTraceInfo(trace)
          .setStateId(123_456_789_000L).build();

      CallContext context = send(peer, header);

      assertThat(context.callId()).isEqualTo(5);
      assertThat(context.retryCount()).isEqualTo(2);
      assertThat(context.clientId()).isEqualTo(peer.clientId().toByteArray());
      assertThat(context.clientIdBytes()).isEqualTo(peer.clientId());
      assertThat(context.rpcKind()).isEqualTo(RpcKind.RPC_BUILTIN);
      assertThat(context.protocol()).isEqualTo("test.Proto");
      assertThat(context.user()).isEqualTo("alice");
      assertThat(context.realUser()).isNull();
      assertThat(context.authMethod()).isEqualTo(AuthMethod.SIMPLE);
      assertThat(context.remoteAddress()).isEqualTo(peer.localAddress());
      assertThat(context.callerContext()).isEqualTo(callerContext);
      assertThat(context.callerContext().getSignature().toStringUtf8()).isEqualTo("sig");
      assertThat(context.traceInfo()).isEqualTo(trace);
      assertThat(context.hasStateId()).isTrue();
      assertThat(context.stateId()).isEqualTo(123_456_789_000L);
      assertThat(context.hasDeadline()).isFalse();
      assertThat(context.deadlineNanos()).isEqualTo(CallContext.NO_DEADLINE);
    }
  }

  @Test
  void aPlainHeaderHasNoneOfTheOptionalFields() throws Exception {
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "bob")) {
      CallContext context = send(peer, RpcHeaders.request(RpcKind.RPC_BUILTIN, 1, 0,
          peer.clientId()));

      assertThat(context.callerContext()).isNull();
      assertThat(context.traceInfo()).isNull();
      assertThat(context.hasStateId()).isFalse();
      assertThat(context.stateId()).isZero();
      assertThat(context.user()).isEqualTo("bob");
    }
  }

  @Test
  void clientIdIsACopyEachTime() throws Exception {
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "bob")) {
      CallContext context = send(peer, RpcHeaders.request(RpcKind.RPC_BUILTIN, 1, 0,
          peer.clientId()));

      context.clientId()[0] ^= 1;

      assertThat(context.clientId()).isEqualTo(peer.clientId().toByteArray());
    }
  }

  @Test
  void deferIsReservedForTheAsyncIssue() {
    CallContext context = CallContext.builder().rpcKind(RpcKind.RPC_BUILTIN).build();

    assertThatThrownBy(context::defer).isInstanceOf(UnsupportedOperationException.class)
        .hasMessage("deferred responses arrive with issue 15");
  }

  @Test
  void theRecordConstructorStillBuildsAContext() {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", 1);
    byte[] clientId = new byte[16];
    clientId[3] = 9;

    CallContext context = new CallContext(4, 0, clientId, RpcKind.RPC_WRITABLE, "p", "me", "real",
        address, 77L);
    clientId[3] = 0; // the context kept its own copy

    assertThat(context.callId()).isEqualTo(4);
    assertThat(context.retryCount()).isZero();
    assertThat(context.clientId()[3]).isEqualTo((byte) 9);
    assertThat(context.rpcKind()).isEqualTo(RpcKind.RPC_WRITABLE);
    assertThat(context.protocol()).isEqualTo("p");
    assertThat(context.user()).isEqualTo("me");
    assertThat(context.realUser()).isEqualTo("real");
    assertThat(context.remoteAddress()).isEqualTo(address);
    assertThat(context.receivedNanos()).isEqualTo(77L);
    assertThat(context.authMethod()).isEqualTo(AuthMethod.SIMPLE);
    assertThat(context.callerContext()).isNull();
  }

  @Test
  void toBuilderKeepsEveryFieldAndAddsADeadline() {
    CallContext original = CallContext.builder().callId(3).retryCount(1)
        .clientId(new byte[] {1, 2}).rpcKind(RpcKind.RPC_PROTOCOL_BUFFER).protocol("p")
        .user("u").realUser("r").authMethod(AuthMethod.SIMPLE).receivedNanos(10)
        .callerContext(RPCCallerContextProto.newBuilder().setContext("c").build())
        .traceInfo(RPCTraceInfoProto.newBuilder().setTraceId(1).build()).stateId(5).build();

    CallContext copy = original.toBuilder().deadlineNanos(1_000).build();

    assertThat(copy.hasDeadline()).isTrue();
    assertThat(copy.deadlineNanos()).isEqualTo(1_000);
    assertThat(copy).usingRecursiveComparison().ignoringFields("deadlineNanos")
        .isEqualTo(original);
  }
}

package io.tusk.rpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.spi.ServerEngine;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.RpcServerException;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.testing.EchoEngine;
import io.tusk.rpc.testing.RawRpcPeer;
import io.tusk.rpc.wire.RpcConstants;
import io.tusk.rpc.wire.RpcHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Well-behaved calls over loopback: echo, caller identity, errors, ordering, big responses. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerCallsTest extends ServerTestSupport {

  @Test
  void echoCallReturnsRequestBytesWithMatchingHeader() throws Exception {
    start(echoServer());
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "alice")) {
      RawRpcPeer.Response response = peer.roundTrip(7, "hello tusk");
      RpcResponseHeaderProto header = response.header();
      assertThat(header.getStatus()).isEqualTo(RpcStatusProto.SUCCESS);
      assertThat(header.getCallId()).isEqualTo(7);
      assertThat(header.getClientId()).isEqualTo(peer.clientId());
      assertThat(header.getRetryCount()).isEqualTo(RpcConstants.INVALID_RETRY_COUNT);
      assertThat(header.getServerIpcVersionNum()).isEqualTo(9);
      assertThat(response.text()).isEqualTo("hello tusk");
    }
  }

  @Test
  void whoamiReportsTheContextUserAndAddress() throws Exception {
    start(echoServer());
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "alice")) {
      String answer = peer.roundTrip(1, "whoami").text();
      assertThat(answer).isEqualTo("alice " + peer.localAddress());
    }
    assertThat(Server.getCurrentCall()).isNull();
    assertThat(Server.getRemoteUser()).isNull();
  }

  @Test
  void applicationExceptionBecomesErrorAndConnectionLivesOn() throws Exception {
    start(echoServer());
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "bob")) {
      RpcResponseHeaderProto header =
          peer.roundTrip(3, "throw:java.io.FileNotFoundException:no such file").header();
      assertThat(header.getStatus()).isEqualTo(RpcStatusProto.ERROR);
      assertThat(header.getCallId()).isEqualTo(3);
      assertThat(header.getExceptionClassName()).isEqualTo("java.io.FileNotFoundException");
      assertThat(header.getErrorMsg()).isEqualTo("no such file");
      assertThat(header.getErrorDetail()).isEqualTo(RpcErrorCodeProto.ERROR_APPLICATION);

      RpcResponseHeaderProto plain = peer.roundTrip(4, "throw:just a message").header();
      assertThat(plain.getExceptionClassName()).isEqualTo("java.io.IOException");
      assertThat(plain.getErrorMsg()).isEqualTo("just a message");

      assertThat(peer.roundTrip(5, "after errors").text()).isEqualTo("after errors");
    }
  }

  @Test
  void rpcServerExceptionKeepsItsStatusAndCode() throws Exception {
    ServerEngine<?> failing = ServerEngine.of("test", RpcKind.RPC_PROTOCOL_BUFFER,
        request -> "x", (srv, call, request) -> {
          throw new RpcServerException("no method zap", RpcErrorCodeProto.ERROR_NO_SUCH_METHOD);
        });
    start(echoServer().engine(failing));
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "carol")) {
      RpcResponseHeaderProto header =
          peer.call(RpcKind.RPC_PROTOCOL_BUFFER, 9, new byte[] {1}).readResponse().header();
      assertThat(header.getStatus()).isEqualTo(RpcStatusProto.ERROR);
      assertThat(header.getExceptionClassName())
          .isEqualTo("org.apache.hadoop.ipc.RpcServerException");
      assertThat(header.getErrorMsg()).isEqualTo("no method zap");
      assertThat(header.getErrorDetail()).isEqualTo(RpcErrorCodeProto.ERROR_NO_SUCH_METHOD);
      assertThat(peer.roundTrip(10, "ok").text()).isEqualTo("ok");
    }
  }

  @Test
  void pipelinedCallsAreAllAnsweredWithTheirOwnPayload() throws Exception {
    start(echoServer().handlerCount(4));
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "dave")) {
      int calls = 200;
      for (int i = 0; i < calls; i++) {
        peer.call(i, "payload-" + i);
      }
      Map<Integer, String> answers = new HashMap<>();
      for (int i = 0; i < calls; i++) {
        RawRpcPeer.Response response = peer.readResponse();
        answers.put(response.header().getCallId(), response.text());
      }
      assertThat(answers).hasSize(calls);
      answers.forEach((id, text) -> assertThat(text).isEqualTo("payload-" + id));
    }
  }

  @Test
  void pingsAreIgnored() throws Exception {
    start(echoServer());
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "erin")) {
      peer.sendFrame(RpcHeaders.ping(peer.clientId()), null);
      peer.sendFrame(RpcHeaders.ping(peer.clientId()), null);
      RawRpcPeer.Response response = peer.roundTrip(11, "after pings");
      assertThat(response.header().getCallId()).isEqualTo(11);
    }
  }

  @Test
  void closeConnectionOperationIsAnsweredFatalAsHadoopAnswersIt() throws Exception {
    start(echoServer());
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "frank")) {
      peer.roundTrip(1, "first");
      peer.sendFrame(RpcHeaders.request(RpcKind.RPC_BUILTIN, 2, -1, peer.clientId()).toBuilder()
          .setRpcOp(io.tusk.rpc.proto.RpcHeaderProtos.RpcRequestHeaderProto.OperationProto
              .RPC_CLOSE_CONNECTION)
          .build(), null);
      io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto fatal =
          peer.readResponse().header();
      assertThat(fatal.getStatus().name()).isEqualTo("FATAL");
      assertThat(fatal.getCallId()).isEqualTo(2);
      assertThat(fatal.getErrorDetail().name()).isEqualTo("FATAL_INVALID_RPC_HEADER");
      assertThat(fatal.getErrorMsg())
          .isEqualTo("IPC Server does not implement rpc header operationRPC_CLOSE_CONNECTION");
      assertThat(peer.awaitClosed()).isTrue();
    }
    assertStillServes();
  }

  @Test
  void responseLargerThanTheSocketBufferIsFinishedByTheResponder() throws Exception {
    start(echoServer());
    byte[] big = new byte[8 * 1024 * 1024];
    new Random(1).nextBytes(big);
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "gina")) {
      peer.call(RpcKind.RPC_BUILTIN, 1, big);
      peer.call(2, "small after big");
      RawRpcPeer.Response first = peer.readResponse();
      RawRpcPeer.Response second = peer.readResponse();
      // one handler may finish the small call first; each answer carries its own bytes
      RawRpcPeer.Response bigAnswer = first.header().getCallId() == 1 ? first : second;
      RawRpcPeer.Response smallAnswer = first.header().getCallId() == 1 ? second : first;
      assertThat(Arrays.equals(bigAnswer.payload(), big)).isTrue();
      assertThat(new String(smallAnswer.payload(), StandardCharsets.UTF_8))
          .isEqualTo("small after big");
    }
    assertThat(server.getBufferedRequestBytes()).isZero();
  }

  @Test
  void sameEngineTwiceIsANoOpAndADifferentOneForATakenKindFails() throws Exception {
    Server built = echoServer().build();
    server = built;
    built.registerEngine(EchoEngine.registration());
    ServerEngine<?> other = ServerEngine.of("test", RpcKind.RPC_BUILTIN, request -> request,
        (srv, call, request) -> RpcPayload.empty());
    assertThatThrownBy(() -> built.registerEngine(other))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("RPC_BUILTIN");
    built.start();
    assertStillServes();
  }
}

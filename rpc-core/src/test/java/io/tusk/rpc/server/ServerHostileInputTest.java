package io.tusk.rpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.tusk.rpc.spi.ServerEngine;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcRequestHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.testing.Await;
import io.tusk.rpc.testing.RawRpcPeer;
import io.tusk.rpc.wire.Preamble;
import io.tusk.rpc.wire.HadoopNames;
import io.tusk.rpc.wire.RpcConstants;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Broken and hostile peers: each gets the answer Hadoop would give (or a plain close), and after
 * each one the server still serves a well-behaved client.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerHostileInputTest extends ServerTestSupport {

  private RawRpcPeer connect() throws IOException {
    return RawRpcPeer.connect(server.getListenerAddress());
  }

  private RawRpcPeer handshake() throws IOException {
    return RawRpcPeer.handshake(server.getListenerAddress(), "mallory");
  }

  private static void assertFatal(RpcResponseHeaderProto header, String className,
      RpcErrorCodeProto code) {
    assertThat(header.getStatus()).isEqualTo(RpcStatusProto.FATAL);
    assertThat(header.getExceptionClassName()).isEqualTo(className);
    assertThat(header.getErrorDetail()).isEqualTo(code);
  }

  @Test
  void randomBytesAreAnsweredWithACloseAndTheServerLivesOn() throws Exception {
    start(echoServer());
    try (RawRpcPeer peer = connect()) {
      peer.sendRaw(new byte[] {'x', 0x13, 0x37, 0x00, (byte) 0xff, 0x42, 0x77, 0x01, 0x02});
      assertThat(peer.awaitClosed()).isTrue();
    }
    assertStillServes();
  }

  @Test
  void httpGetIsAnsweredWithA404InPlainText() throws Exception {
    start(echoServer());
    try (RawRpcPeer peer = connect()) {
      peer.sendRaw("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String answer = new String(peer.readUntilEof(), StandardCharsets.US_ASCII);
      assertThat(answer).isEqualTo(RpcConstants.HTTP_NOT_FOUND_RESPONSE);
      assertThat(answer).startsWith("HTTP/1.1 404 Not Found\r\nContent-type: text/plain\r\n\r\n");
    }
    assertStillServes();
  }

  @Test
  void wrongVersionIsAnsweredWithAFramedVersionMismatch() throws Exception {
    start(echoServer());
    try (RawRpcPeer peer = connect()) {
      peer.sendRaw(Preamble.encode((byte) 10, (byte) 0, RpcConstants.AUTH_PROTOCOL_NONE));
      RpcResponseHeaderProto header = peer.readResponse().header();
      assertFatal(header, HadoopNames.VERSION_MISMATCH,
          RpcErrorCodeProto.FATAL_VERSION_MISMATCH);
      assertThat(header.getCallId()).isEqualTo(-1); // uint32 0xffffffff
      assertThat(header.getErrorMsg())
          .isEqualTo("Server IPC version 9 cannot communicate with client version 10");
      assertThat(header.getServerIpcVersionNum()).isEqualTo(9);
      assertThat(peer.awaitClosed()).isTrue();
    }
    assertStillServes();
  }

  @Test
  void oldClientVersionGetsThePreProtobufLayout() throws Exception {
    start(echoServer());
    try (RawRpcPeer peer = connect()) {
      peer.sendRaw(Preamble.encode((byte) 4, (byte) 0, RpcConstants.AUTH_PROTOCOL_NONE));
      DataInputStream in = new DataInputStream(peer.input());
      assertThat(in.readInt()).isEqualTo(-1); // call id
      assertThat(in.readInt()).isEqualTo(RpcConstants.OLD_VERSION_FATAL_STATUS);
      assertThat(new String(peer.readExactly(in.readInt()), StandardCharsets.UTF_8))
          .isEqualTo(HadoopNames.VERSION_MISMATCH);
      assertThat(new String(peer.readExactly(in.readInt()), StandardCharsets.UTF_8))
          .isEqualTo("Server IPC version 9 cannot communicate with client version 4");
      assertThat(peer.isAtEof()).isTrue();
    }
    assertStillServes();
  }

  @Test
  void wrongMagicIsAnsweredAsAVersionMismatch() throws Exception {
    start(echoServer());
    try (RawRpcPeer peer = connect()) {
      peer.sendRaw(new byte[] {'h', 'r', 'p', 'x', 9, 0, 0});
      RpcResponseHeaderProto header = peer.readResponse().header();
      assertFatal(header, HadoopNames.VERSION_MISMATCH,
          RpcErrorCodeProto.FATAL_VERSION_MISMATCH);
      assertThat(peer.awaitClosed()).isTrue();
    }
    assertStillServes();
  }

  @Test
  void saslAuthByteIsRefused() throws Exception {
    start(echoServer());
    try (RawRpcPeer peer = connect()) {
      peer.sendRaw(Preamble.encode(RpcConstants.CURRENT_VERSION, (byte) 0,
          RpcConstants.AUTH_PROTOCOL_SASL));
      RpcResponseHeaderProto header = peer.readResponse().header();
      assertFatal(header, HadoopNames.ACCESS_CONTROL_EXCEPTION,
          RpcErrorCodeProto.FATAL_UNAUTHORIZED);
      assertThat(header.getCallId()).isEqualTo(RpcConstants.SASL_CALL_ID);
      assertThat(header.getErrorMsg()).contains("SASL");
      assertThat(peer.awaitClosed()).isTrue();
    }
    assertStillServes();
  }

  @Test
  void maximalFrameLengthClosesTheConnectionWithoutAllocating() throws Exception {
    start(echoServer());
    try (RawRpcPeer peer = handshake()) {
      peer.sendLength(0x7fffffff).sendRaw(new byte[100]);
      assertThat(peer.awaitClosed()).isTrue();
    }
    assertThat(server.getBufferedRequestBytes()).isZero();
    assertStillServes();
  }

  @Test
  void frameLongerThanTheSetupLimitBeforeTheContextIsRejected() throws Exception {
    start(echoServer());
    try (RawRpcPeer peer = connect()) {
      peer.preamble().sendLength(RpcConstants.MAX_SETUP_FRAME_LENGTH + 1);
      assertThat(peer.awaitClosed()).isTrue();
    }
    assertStillServes();
  }

  @Test
  void negativeFrameLengthClosesTheConnection() throws Exception {
    start(echoServer());
    try (RawRpcPeer peer = handshake()) {
      peer.sendLength(-5);
      assertThat(peer.awaitClosed()).isTrue();
    }
    assertStillServes();
  }

  @Test
  void callBeforeTheConnectionContextIsFatal() throws Exception {
    start(echoServer());
    try (RawRpcPeer peer = connect()) {
      RpcResponseHeaderProto header = peer.preamble().roundTrip(1, "too early").header();
      assertFatal(header, "org.apache.hadoop.ipc.RpcServerException",
          RpcErrorCodeProto.FATAL_INVALID_RPC_HEADER);
      assertThat(header.getCallId()).isEqualTo(1);
      assertThat(peer.awaitClosed()).isTrue();
    }
    assertStillServes();
  }

  @Test
  void unknownRpcKindIsFatalWithHadoopsMessage() throws Exception {
    start(echoServer());
    try (RawRpcPeer peer = handshake()) {
      RpcResponseHeaderProto header =
          peer.call(RpcKind.RPC_WRITABLE, 3, new byte[] {1, 2, 3}).readResponse().header();
      assertFatal(header, "org.apache.hadoop.ipc.RpcServerException",
          RpcErrorCodeProto.FATAL_INVALID_RPC_HEADER);
      assertThat(header.getErrorMsg()).isEqualTo("Unknown rpc kind in rpc headerRPC_WRITABLE");
      assertThat(header.getCallId()).isEqualTo(3);
      assertThat(peer.awaitClosed()).isTrue();
    }
    assertStillServes();
  }

  @Test
  void rpcKindValueWithoutAKindIsFatal() throws Exception {
    start(echoServer());
    try (RawRpcPeer peer = handshake()) {
      RpcRequestHeaderProto header = RpcRequestHeaderProto.newBuilder()
          .setRpcOp(RpcRequestHeaderProto.OperationProto.RPC_FINAL_PACKET)
          .setCallId(4).setClientId(peer.clientId())
          .setUnknownFields(UnknownFieldSet.newBuilder()
              .addField(RpcRequestHeaderProto.RPCKIND_FIELD_NUMBER,
                  UnknownFieldSet.Field.newBuilder().addVarint(7).build())
              .build())
          .build();
      RpcResponseHeaderProto answer =
          peer.sendFrame(header, RpcPayload.ofBytes(new byte[] {1})).readResponse().header();
      assertFatal(answer, "org.apache.hadoop.ipc.RpcServerException",
          RpcErrorCodeProto.FATAL_INVALID_RPC_HEADER);
      // proto2 keeps the unknown number among the unknown fields: no kind, as Hadoop sees it
      assertThat(answer.getErrorMsg()).isEqualTo(" IPC Server: No rpc kind in rpcRequestHeader");
      assertThat(peer.awaitClosed()).isTrue();
    }
    assertStillServes();
  }

  @Test
  void undecodableHeaderIsFatalDeserializingAsHadoopAnswers() throws Exception {
    start(echoServer());
    try (RawRpcPeer peer = handshake()) {
      // varint says 20 header bytes, only 3 follow
      RpcResponseHeaderProto header = peer.sendFrame(new byte[] {20, 1, 2, 3})
          .readResponse().header();
      assertFatal(header, "org.apache.hadoop.ipc.RpcServerException",
          RpcErrorCodeProto.FATAL_DESERIALIZING_REQUEST);
      assertThat(header.getCallId()).isEqualTo(-1);
      assertThat(header.getRetryCount()).isEqualTo(-1);
      assertThat(header.getErrorMsg()).startsWith("Error decoding RpcRequestHeaderProto: "
          + "org.apache.hadoop.thirdparty.protobuf.InvalidProtocolBufferException: ");
      assertThat(peer.awaitClosed()).isTrue();
    }
    assertStillServes();
  }

  @Test
  void requestTheEngineCannotDecodeIsFatal() throws Exception {
    ServerEngine<?> picky = ServerEngine.of("test", RpcKind.RPC_PROTOCOL_BUFFER,
        request -> {
          throw new IOException("not a protobuf request");
        }, (srv, call, request) -> RpcPayload.empty());
    start(echoServer().engine(picky));
    try (RawRpcPeer peer = handshake()) {
      RpcResponseHeaderProto header =
          peer.call(RpcKind.RPC_PROTOCOL_BUFFER, 5, new byte[] {9}).readResponse().header();
      assertFatal(header, "org.apache.hadoop.ipc.RpcServerException",
          RpcErrorCodeProto.FATAL_DESERIALIZING_REQUEST);
      assertThat(header.getErrorMsg()).contains("not a protobuf request");
      assertThat(peer.awaitClosed()).isTrue();
    }
    assertStillServes();
  }

  @Test
  void saslCallIdAfterTheContextIsFatalAsHadoopAnswersIt() throws Exception {
    start(echoServer());
    try (RawRpcPeer peer = handshake()) {
      RpcResponseHeaderProto header = peer.sendFrame(RpcRequestHeaderProto.newBuilder()
          .setRpcKind(RpcKind.RPC_PROTOCOL_BUFFER.toProto())
          .setRpcOp(RpcRequestHeaderProto.OperationProto.RPC_FINAL_PACKET)
          .setCallId(RpcConstants.SASL_CALL_ID).setClientId(ByteString.EMPTY).build(), null)
          .readResponse().header();
      // the preamble said NONE: Hadoop's "SASL protocol not requested by client"
      assertFatal(header, HadoopNames.RPC_SERVER_EXCEPTION,
          RpcErrorCodeProto.FATAL_INVALID_RPC_HEADER);
      assertThat(header.getErrorMsg()).isEqualTo("SASL protocol not requested by client");
      assertThat(peer.awaitClosed()).isTrue();
    }
    assertStillServes();
  }

  @Test
  void halfSentFrameThenCloseReturnsItsBufferToTheBudget() throws Exception {
    start(echoServer());
    try (RawRpcPeer peer = handshake()) {
      peer.roundTrip(1, "warm up");
      peer.sendLength(1_000_000).sendRaw(new byte[20_000]);
      Await.until(Duration.ofSeconds(5), "the partial frame to be buffered",
          () -> server.getBufferedRequestBytes() > 0);
    }
    Await.until(Duration.ofSeconds(5), "the partial frame's charge to be released",
        () -> server.getBufferedRequestBytes() == 0);
    Await.until(Duration.ofSeconds(5), "the connection to be closed",
        () -> server.getNumOpenConnections() == 0);
    assertStillServes();
  }

  @Test
  void connectionThatNeverCompletesSetupIsClosedAtTheDeadline() throws Exception {
    start(echoServer().setupTimeout(Duration.ofMillis(300)));
    try (RawRpcPeer silent = connect(); RawRpcPeer noContext = connect()) {
      noContext.preamble();
      long started = System.nanoTime();
      assertThat(silent.awaitClosed()).isTrue();
      assertThat(noContext.awaitClosed()).isTrue();
      assertThat(System.nanoTime() - started).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(250));
    }
    assertStillServes();
  }

  @Test
  void idleConnectionIsClosedButNotWhileACallRuns() throws Exception {
    // Hadoop's idle scan with threshold 0 (always), every 50 ms, closing after 300 ms idle.
    start(echoServer().options(o -> o.idleScan(new ServerOptions.IdleScan(0,
        Duration.ofMillis(300), Duration.ofMillis(50), 0))));
    try (RawRpcPeer peer = handshake()) {
      RawRpcPeer.Response slow = peer.roundTrip(1, "sleep:900");
      assertThat(slow.header().getStatus()).isEqualTo(RpcStatusProto.SUCCESS);
      long answered = System.nanoTime();
      assertThat(peer.awaitClosed()).isTrue();
      assertThat(System.nanoTime() - answered).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(250));
    }
    assertStillServes();
  }
}

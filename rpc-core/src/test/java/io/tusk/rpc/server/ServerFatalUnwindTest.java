package io.tusk.rpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.spi.ServerEngine;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcRequestHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.testing.RawRpcPeer;
import io.tusk.rpc.wire.FrameEncoder;
import io.tusk.rpc.wire.RpcConstants;
import io.tusk.rpc.wire.RpcHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A frame that ends reading (FATAL answer, or the client's close request) stops the decoder loop
 * of the read it came in: the frames after it in the same write are never dispatched. Each peer
 * sends its frames in one write, so the server reads them together; which calls reached the
 * engine is recorded, and a later call on a fresh connection (FIFO behind anything queued)
 * proves the record is complete.
 *
 * <p>This checks the outcome a peer can see, not which mechanism gives it: when the FATAL answer
 * is written at once the connection is closed at once too, and handlers drop the calls of a
 * closed connection, so a decoder loop that went on would still not reach the engine here.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerFatalUnwindTest extends ServerTestSupport {
  private static final int SYNC_CALL = 99;

  private final List<Integer> invoked = new CopyOnWriteArrayList<>();
  private final FrameEncoder encoder = new FrameEncoder();

  @BeforeEach
  void startRecordingServer() throws IOException {
    ServerEngine<?> recording = ServerEngine.of("test", RpcKind.RPC_PROTOCOL_BUFFER,
        request -> request, (srv, call, request) -> {
          invoked.add(call.callId());
          return RpcPayload.empty();
        });
    start(echoServer().engine(recording));
  }

  private byte[] call(RawRpcPeer peer, int callId) throws IOException {
    return encoder.encodeToArray(RpcHeaders.request(RpcKind.RPC_PROTOCOL_BUFFER, callId,
        RpcConstants.FIRST_ATTEMPT_RETRY_COUNT, peer.clientId()), RpcPayload.ofBytes(new byte[1]));
  }

  private byte[] frame(RpcRequestHeaderProto header) throws IOException {
    return encoder.encodeToArray(header, null);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      all.writeBytes(part);
    }
    return all.toByteArray();
  }

  /** A call on a new connection, answered: everything queued before it has been dispatched. */
  private void sync() throws IOException {
    try (RawRpcPeer good = RawRpcPeer.handshake(server.getListenerAddress(), "good")) {
      RpcResponseHeaderProto header = good.sendRaw(call(good, SYNC_CALL)).readResponse().header();
      assertThat(header.getStatus()).isEqualTo(RpcStatusProto.SUCCESS);
    }
  }

  @Test
  void framesAfterAnUndecodableHeaderAreNotDispatched() throws Exception {
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "mallory")) {
      byte[] undecodable = {0, 0, 0, 4, 20, 1, 2, 3}; // varint says 20 header bytes, 3 follow
      peer.sendRaw(concat(undecodable, call(peer, 7), call(peer, 8)));
      RpcResponseHeaderProto fatal = peer.readResponse().header();
      assertThat(fatal.getStatus()).isEqualTo(RpcStatusProto.FATAL);
      assertThat(fatal.getCallId()).isEqualTo(RpcConstants.UNKNOWN_CALL_ID);
      assertThat(fatal.getErrorDetail()).isEqualTo(RpcErrorCodeProto.FATAL_DESERIALIZING_REQUEST);
      assertThat(peer.readUntilEof()).isEmpty();
    }
    sync();
    assertThat(invoked).containsExactly(SYNC_CALL);
  }

  @Test
  void framesAfterASecondContextAreNotDispatched() throws Exception {
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "mallory")) {
      peer.sendRaw(concat(frame(RpcHeaders.connectionContext(peer.clientId())), call(peer, 7)));
      RpcResponseHeaderProto fatal = peer.readResponse().header();
      assertThat(fatal.getStatus()).isEqualTo(RpcStatusProto.FATAL);
      assertThat(fatal.getCallId()).isEqualTo(RpcConstants.CONNECTION_CONTEXT_CALL_ID);
      assertThat(peer.readUntilEof()).isEmpty();
    }
    sync();
    assertThat(invoked).containsExactly(SYNC_CALL);
  }

  @Test
  void framesAfterACloseRequestAreNotDispatched() throws Exception {
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "mallory")) {
      RpcRequestHeaderProto close = RpcHeaders.request(RpcKind.RPC_PROTOCOL_BUFFER, 5,
          RpcConstants.FIRST_ATTEMPT_RETRY_COUNT, peer.clientId()).toBuilder()
          .setRpcOp(RpcRequestHeaderProto.OperationProto.RPC_CLOSE_CONNECTION).build();
      peer.sendRaw(concat(frame(close), call(peer, 7)));
      // Hadoop does not implement the operation: FATAL on the close frame's id, then closed
      RpcResponseHeaderProto fatal = peer.readResponse().header();
      assertThat(fatal.getStatus()).isEqualTo(RpcStatusProto.FATAL);
      assertThat(fatal.getCallId()).isEqualTo(5);
      assertThat(fatal.getErrorMsg()).isEqualTo(
          "IPC Server does not implement rpc header operationRPC_CLOSE_CONNECTION");
      assertThat(peer.readUntilEof()).isEmpty();
    }
    sync();
    assertThat(invoked).containsExactly(SYNC_CALL);
  }
}

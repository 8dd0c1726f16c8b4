package io.tusk.rpc.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcRequestHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RpcHeadersTest {
  private static final ByteString CLIENT_ID = ByteString.copyFrom(new byte[16]);

  /** The body of a frame encoded by FrameEncoder (without the length field). */
  private static ByteBuffer body(com.google.protobuf.MessageLite header, byte[] payload)
      throws IOException {
    ByteBuffer frame = new FrameEncoder().encode(header,
        payload == null ? null : RpcPayload.ofBytes(payload));
    assertThat(frame.getInt(0)).isEqualTo(frame.limit() - 4);
    return ByteBuffer.wrap(Arrays.copyOfRange(frame.array(), 4, frame.limit()));
  }

  @Test
  void requestHeaderRoundTripLeavesThePositionOnThePayload() throws IOException {
    RpcRequestHeaderProto header = RpcHeaders.request(RpcKind.RPC_WRITABLE, 12, 2, CLIENT_ID);
    ByteBuffer body = body(header, new byte[] {1, 2, 3});
    RpcRequestHeaderProto parsed = RpcHeaders.parseRequest(body);
    assertThat(parsed).isEqualTo(header);
    assertThat(parsed.getRpcOp()).isEqualTo(RpcRequestHeaderProto.OperationProto.RPC_FINAL_PACKET);
    assertThat(body.remaining()).isEqualTo(3);
    assertThat(body.get()).isEqualTo((byte) 1);
  }

  @Test
  void specialHeadersCarryTheirCallIds() {
    assertThat(RpcHeaders.connectionContext(CLIENT_ID).getCallId()).isEqualTo(-3);
    assertThat(RpcHeaders.connectionContext(CLIENT_ID).getRpcKind())
        .isEqualTo(RpcKind.RPC_PROTOCOL_BUFFER.toProto());
    assertThat(RpcHeaders.connectionContext(CLIENT_ID).getRetryCount()).isEqualTo(-1);
    assertThat(RpcHeaders.ping(CLIENT_ID).getCallId()).isEqualTo(-4);
  }

  @Test
  void successAndFailureResponsesRoundTrip() throws IOException {
    RpcResponseHeaderProto ok = RpcHeaders.success(5, CLIENT_ID, -1);
    ByteBuffer okBody = body(ok, new byte[] {42});
    assertThat(RpcHeaders.parseResponse(okBody)).isEqualTo(ok);
    assertThat(okBody.remaining()).isEqualTo(1);

    RpcResponseHeaderProto failed = RpcHeaders.failure(-1, ByteString.EMPTY, -1,
        RpcStatusProto.FATAL, "x.Y", "boom", RpcErrorCodeProto.FATAL_UNKNOWN);
    RpcResponseHeaderProto parsed = RpcHeaders.parseResponse(body(failed, null));
    assertThat(parsed.getCallId()).isEqualTo(-1); // travels as uint32 0xffffffff
    assertThat(parsed.getStatus()).isEqualTo(RpcStatusProto.FATAL);
    assertThat(parsed.getExceptionClassName()).isEqualTo("x.Y");
    assertThat(parsed.getErrorMsg()).isEqualTo("boom");
    assertThat(parsed.getErrorDetail()).isEqualTo(RpcErrorCodeProto.FATAL_UNKNOWN);
    assertThat(parsed.getServerIpcVersionNum()).isEqualTo(9);

    RpcResponseHeaderProto noMessage = RpcHeaders.failure(1, CLIENT_ID, 0, RpcStatusProto.ERROR,
        "x.Z", null, RpcErrorCodeProto.ERROR_APPLICATION);
    assertThat(noMessage.hasErrorMsg()).isFalse();
  }

  @Test
  void truncatedHeaderIsAnError() throws IOException {
    ByteBuffer body = body(RpcHeaders.request(RpcKind.RPC_BUILTIN, 1, -1, CLIENT_ID), null);
    for (int cut = 0; cut < body.limit(); cut++) {
      ByteBuffer truncated = ByteBuffer.wrap(Arrays.copyOf(body.array(), cut));
      assertThatThrownBy(() -> RpcHeaders.parseRequest(truncated))
          .as("cut at %d", cut).isInstanceOf(IOException.class);
      assertThat(truncated.position()).isZero();
    }
  }

  @Test
  void headerMissingRequiredFieldsIsAnError() {
    // varint 0: an empty message, which lacks callId and clientId
    assertThatThrownBy(() -> RpcHeaders.parseRequest(ByteBuffer.wrap(new byte[] {0})))
        .isInstanceOf(IOException.class);
  }
}

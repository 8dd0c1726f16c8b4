package io.tusk.rpc.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcRequestHeaderProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FrameEncoderTest {
  private static final ByteString CLIENT_ID = ByteString.copyFrom(new byte[16]);

  @Test
  void frameIsLengthThenDelimitedHeaderThenPayload() throws IOException {
    RpcRequestHeaderProto header = RpcHeaders.request(RpcKind.RPC_BUILTIN, 5, 0, CLIENT_ID);
    byte[] frame = new FrameEncoder().encodeToArray(header,
        RpcPayload.ofBytes(new byte[] {1, 2, 3}));

    ByteBuffer b = ByteBuffer.wrap(frame);
    assertThat(b.getInt()).isEqualTo(frame.length - 4);
    assertThat(RpcHeaders.parseRequest(b)).isEqualTo(header);
    assertThat(b.remaining()).isEqualTo(3);
    assertThat(b.get()).isEqualTo((byte) 1);
  }

  @Test
  void hadoopContextHeaderBytesMatch() throws IOException {
    // From a captured Hadoop 3.4.2 client: kind PROTOCOL_BUFFER, op FINAL, callId -3, retry -1
    byte[] frame = new FrameEncoder().encodeToArray(RpcHeaders.connectionContext(CLIENT_ID), null);

    byte[] expectedStart = {0, 0, 0, 0x1b, 0x1a, 0x08, 0x02, 0x10, 0x00, 0x18, 0x05, 0x22, 0x10};
    assertThat(frame).startsWith(expectedStart);
    assertThat(frame).endsWith(new byte[] {0x28, 0x01});
  }

  @Test
  void encoderIsReusableAndGrows() throws IOException {
    FrameEncoder encoder = new FrameEncoder();
    RpcRequestHeaderProto header = RpcHeaders.request(RpcKind.RPC_BUILTIN, 1, -1, CLIENT_ID);
    byte[] big = new byte[2 * 1024 * 1024];
    big[big.length - 1] = 42;

    ByteBuffer first = encoder.encode(header, RpcPayload.ofBytes(big));
    assertThat(first.limit()).isGreaterThan(big.length);
    assertThat(first.get(first.limit() - 1)).isEqualTo((byte) 42);
    encoder.trim();
    ByteBuffer second = encoder.encode(header, RpcPayload.ofBytes(new byte[] {7}));
    assertThat(second.getInt()).isEqualTo(second.limit() - 4);
  }
}

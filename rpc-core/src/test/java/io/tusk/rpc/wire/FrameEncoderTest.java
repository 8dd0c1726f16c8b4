package io.tusk.rpc.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcRequestHeaderProto;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
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

  /** A message of random size (0 bytes to ~300 KiB, across every varint length boundary). */
  private static RpcResponseHeaderProto randomMessage(Random random) {
    int size = switch (random.nextInt(4)) {
      case 0 -> random.nextInt(130);
      case 1 -> random.nextInt(20_000);
      case 2 -> 16_380 + random.nextInt(10);
      default -> random.nextInt(300_000);
    };
    char[] text = new char[size];
    for (int i = 0; i < size; i++) {
      text[i] = (char) (random.nextInt(20) == 0 ? 0x00e9 + random.nextInt(2000) : 'a' + i % 26);
    }
    RpcResponseHeaderProto.Builder b = RpcResponseHeaderProto.newBuilder()
        .setCallId(random.nextInt())
        .setStatus(RpcStatusProto.ERROR)
        .setClientId(ByteString.copyFrom(new byte[random.nextInt(17)]));
    if (size > 0) {
      b.setErrorMsg(new String(text)).setErrorDetail(RpcErrorCodeProto.ERROR_APPLICATION);
    }
    return b.build();
  }

  /** The stream path for the same messages: what engines wrote before payloads had a size. */
  private static RpcPayload unsized(MessageLite... messages) {
    return (DataOutputStream out) -> {
      for (MessageLite m : messages) {
        m.writeDelimitedTo(out);
      }
    };
  }

  private static byte[] bytes(ByteBuffer frame) {
    return Arrays.copyOfRange(frame.array(), frame.position(), frame.limit());
  }

  @Test
  void sizedPayloadsGiveTheSameBytesAsTheStreamPath() throws IOException {
    Random random = new Random(20261203);
    FrameEncoder sized = new FrameEncoder();
    FrameEncoder streamed = new FrameEncoder();
    for (int i = 0; i < 300; i++) {
      RpcRequestHeaderProto header = RpcHeaders.request(RpcKind.RPC_PROTOCOL_BUFFER,
          random.nextInt(), random.nextInt(3) - 1, CLIENT_ID);
      MessageLite a = randomMessage(random);
      MessageLite b = randomMessage(random);
      RpcPayload one = RpcPayload.delimited(a);
      RpcPayload two = RpcPayload.delimited(a, b);
      assertThat(one.serializedSize()).isEqualTo(
          CodedOutputStream.computeUInt32SizeNoTag(a.getSerializedSize()) + a.getSerializedSize());

      assertThat(bytes(sized.encode(header, one)))
          .isEqualTo(bytes(streamed.encode(header, unsized(a))));
      sized.trim();
      streamed.trim();
      assertThat(bytes(sized.encode(header, two)))
          .isEqualTo(bytes(streamed.encode(header, unsized(a, b))));
      sized.trim();
      streamed.trim();
    }
  }

  @Test
  void sizedPayloadPresizesTheBufferToExactlyTheFrame() throws IOException {
    FrameEncoder encoder = new FrameEncoder();
    RpcRequestHeaderProto header = RpcHeaders.request(RpcKind.RPC_BUILTIN, 1, -1, CLIENT_ID);
    RpcPayload payload = RpcPayload.ofBytes(new byte[100_000]);
    ByteBuffer frame = encoder.encode(header, payload);
    assertThat(encoder.capacity()).isEqualTo(frame.limit());
    int headerPart = CodedOutputStream.computeUInt32SizeNoTag(header.getSerializedSize())
        + header.getSerializedSize();
    assertThat(frame.limit()).isEqualTo(4 + headerPart + 100_000);
    assertThat(frame.getInt(0)).isEqualTo(frame.limit() - 4);
  }

  @Test
  void trimKeepsWorkingSizeBuffersAndDropsHugeOnes() throws IOException {
    FrameEncoder encoder = new FrameEncoder();
    RpcRequestHeaderProto header = RpcHeaders.request(RpcKind.RPC_BUILTIN, 1, -1, CLIENT_ID);
    encoder.encode(header, RpcPayload.ofBytes(new byte[FrameEncoder.RETAIN_LIMIT / 2]));
    encoder.trim();
    assertThat(encoder.capacity()).isGreaterThan(FrameEncoder.RETAIN_LIMIT / 2);
    encoder.encode(header, RpcPayload.ofBytes(new byte[FrameEncoder.RETAIN_LIMIT]));
    encoder.trim();
    assertThat(encoder.capacity()).isEqualTo(FrameEncoder.INITIAL_SIZE);
  }

  @Test
  void releaseGivesTheFrameAwayAndTheEncoderStartsAfresh() throws IOException {
    FrameEncoder encoder = new FrameEncoder();
    RpcRequestHeaderProto header = RpcHeaders.request(RpcKind.RPC_BUILTIN, 1, -1, CLIENT_ID);
    byte[] payload = new byte[50_000];
    Arrays.fill(payload, (byte) 9);
    ByteBuffer frame = encoder.encode(header, RpcPayload.ofBytes(payload));
    byte[] before = bytes(frame);
    assertThat(encoder.release(ByteBuffer.allocate(10))).isFalse();
    assertThat(encoder.release(frame)).isTrue();
    assertThat(encoder.capacity()).isEqualTo(FrameEncoder.INITIAL_SIZE);
    encoder.encode(header, RpcPayload.ofBytes(new byte[60_000]));
    assertThat(bytes(frame)).as("the released frame is never written again").isEqualTo(before);
    assertThat(encoder.release(frame)).isFalse();
  }

  @Test
  void payloadWritingOtherThanItsDeclaredSizeFailsTheFrame() {
    FrameEncoder encoder = new FrameEncoder();
    RpcRequestHeaderProto header = RpcHeaders.request(RpcKind.RPC_BUILTIN, 1, -1, CLIENT_ID);
    assertThatThrownBy(() -> encoder.encode(header, sizedLying(10, 11)))
        .isInstanceOf(IOException.class).hasMessageContaining("more than the 10 bytes");
    assertThatThrownBy(() -> encoder.encode(header, sizedLying(10, 9)))
        .isInstanceOf(IOException.class).hasMessageContaining("wrote 9 bytes, not the 10");
  }

  private static RpcPayload sizedLying(int declared, int written) {
    return new RpcPayload() {
      @Override
      public void writeTo(DataOutputStream out) throws IOException {
        out.write(new byte[written]);
      }

      @Override
      public int serializedSize() {
        return declared;
      }
    };
  }

  @Test
  void defaultSizedWriteGoesThroughTheStreamWrite() throws IOException {
    // A sized payload that does not override writeTo(CodedOutputStream) still works.
    byte[] data = {1, 2, 3, 4, 5};
    RpcPayload payload = new RpcPayload() {
      @Override
      public void writeTo(DataOutputStream out) throws IOException {
        out.write(data);
      }

      @Override
      public int serializedSize() {
        return data.length;
      }
    };
    RpcRequestHeaderProto header = RpcHeaders.request(RpcKind.RPC_BUILTIN, 1, -1, CLIENT_ID);
    assertThat(new FrameEncoder().encodeToArray(header, payload))
        .isEqualTo(new FrameEncoder().encodeToArray(header, (DataOutputStream out) -> out.write(data)));
  }
}

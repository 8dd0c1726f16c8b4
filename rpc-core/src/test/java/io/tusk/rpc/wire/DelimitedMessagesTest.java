package io.tusk.rpc.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.proto.ConnectionContextProtos.IpcConnectionContextProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcRequestHeaderProto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The one delimited-message reader, in both dialects: each failure is worded exactly as its
 * callers' peers and tests already see it (RequestHeaderCheckTest for the header words,
 * interop-hadoop's MalformedProtobufRequestsGetHadoopsAnswerFromTuskTest for protobuf's).
 */
@Timeout(10)
class DelimitedMessagesTest {
  private static final RpcRequestHeaderProto HEADER = RpcHeaders.request(RpcKind.RPC_BUILTIN, 7,
      0, ByteString.copyFrom(new byte[16]));
  private static final RpcRequestHeaderProto PROTOTYPE = RpcRequestHeaderProto.getDefaultInstance();
  private static final String TRUNCATED = "While parsing a protocol message, the input ended"
      + " unexpectedly in the middle of a field.  This could mean either that the input has been"
      + " truncated or that an embedded message misreported its own length.";

  private static ByteBuffer bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return ByteBuffer.wrap(b);
  }

  private static ByteBuffer delimitedThen(com.google.protobuf.Message m, int... rest)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeDelimitedTo(out);
    for (int r : rest) {
      out.write(r);
    }
    return ByteBuffer.wrap(out.toByteArray());
  }

  @Test
  void bothReadAMessageAndStopRightAfterIt() throws IOException {
    ByteBuffer a = delimitedThen(HEADER, 42, 43);
    ByteBuffer b = delimitedThen(HEADER, 42, 43);

    assertThat(DelimitedMessages.readHeader(a, RpcRequestHeaderProto.parser())).isEqualTo(HEADER);
    assertThat(DelimitedMessages.parse(PROTOTYPE, b)).isEqualTo(HEADER);
    assertThat(a.remaining()).isEqualTo(2);
    assertThat(a.get()).isEqualTo((byte) 42);
    assertThat(b.remaining()).isEqualTo(2);
  }

  @Test
  void readsAtTheBuffersPositionAndInsideItsArrayOffset() throws IOException {
    ByteBuffer framed = delimitedThen(HEADER, 9);
    ByteBuffer shifted = ByteBuffer.allocate(framed.remaining() + 3);
    shifted.put(new byte[] {1, 2, 3}).put(framed).flip();
    shifted.position(3);
    ByteBuffer slice = shifted.slice(); // non-zero array offset

    assertThat(DelimitedMessages.parse(PROTOTYPE, slice)).isEqualTo(HEADER);
    assertThat(slice.remaining()).isEqualTo(1);
  }

  @Test
  void nothingLeft() {
    assertThatThrownBy(() -> DelimitedMessages.readHeader(bytes(), RpcRequestHeaderProto.parser()))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessage("expected a delimited message, found end of frame");
    assertThatThrownBy(() -> DelimitedMessages.parse(PROTOTYPE, bytes()))
        .isInstanceOf(InvalidProtocolBufferException.class).hasMessage(TRUNCATED);
  }

  @Test
  void negativeLength() {
    assertThatThrownBy(() -> DelimitedMessages.readHeader(bytes(0xff, 0xff, 0xff, 0xff, 0x0f),
        RpcRequestHeaderProto.parser())).hasMessage("negative delimited message size -1");
    assertThatThrownBy(() -> DelimitedMessages.parse(PROTOTYPE,
        bytes(0xff, 0xff, 0xff, 0xff, 0x0f)))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessage("negative length -1 of a delimited tusk.rpc.RpcRequestHeaderProto");
  }

  @Test
  void lengthLongerThanTheBytes() {
    assertThatThrownBy(() -> DelimitedMessages.readHeader(bytes(10, 8, 1),
        RpcRequestHeaderProto.parser())).hasMessage(TRUNCATED);
    assertThatThrownBy(() -> DelimitedMessages.parse(PROTOTYPE, bytes(10, 8, 1)))
        .hasMessage(TRUNCATED);
  }

  @Test
  void requiredFieldsMissing() {
    assertThatThrownBy(() -> DelimitedMessages.readHeader(bytes(0),
        RpcRequestHeaderProto.parser()))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessage("message is missing required fields");
    assertThatThrownBy(() -> DelimitedMessages.parse(PROTOTYPE, bytes(0)))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessage("Message missing required fields: callId, clientId");
  }

  @Test
  void strayEndGroupTagFailsBoth() {
    // length 1, then tag 0x0c: field 1, wire type END_GROUP
    assertThatThrownBy(() -> DelimitedMessages.readHeader(bytes(1, 0x0c),
        IpcConnectionContextProto.parser()))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessage("Protocol message end-group tag did not match expected tag.");
    assertThatThrownBy(() -> DelimitedMessages.parse(
        IpcConnectionContextProto.getDefaultInstance(), bytes(1, 0x0c)))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessage("Protocol message end-group tag did not match expected tag.");
  }

  @Test
  void aFailureLeavesThePositionAlone() {
    ByteBuffer header = bytes(10, 8, 1);
    ByteBuffer payload = bytes(10, 8, 1);

    assertThatThrownBy(() -> DelimitedMessages.readHeader(header, RpcRequestHeaderProto.parser()))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> DelimitedMessages.parse(PROTOTYPE, payload))
        .isInstanceOf(IOException.class);
    assertThat(header.position()).isZero();
    assertThat(payload.position()).isZero();
  }

  @Test
  void headerOverACodedStreamLeavesTheStreamAfterTheMessage() throws IOException {
    ByteBuffer framed = delimitedThen(HEADER, 5);
    CodedInputStream in = CodedInputStream.newInstance(framed);

    assertThat(DelimitedMessages.readHeader(in, RpcRequestHeaderProto.parser())).isEqualTo(HEADER);
    assertThat(in.readRawByte()).isEqualTo((byte) 5);
    assertThat(RpcHeaders.readDelimited(CodedInputStream.newInstance(delimitedThen(HEADER)),
        RpcRequestHeaderProto.parser())).isEqualTo(HEADER);
  }
}

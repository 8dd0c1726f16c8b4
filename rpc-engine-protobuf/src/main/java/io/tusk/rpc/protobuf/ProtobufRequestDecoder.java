package io.tusk.rpc.protobuf;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tusk.rpc.spi.RequestDecoder;
import io.tusk.rpc.proto.ProtobufEngineProtos.RequestHeaderProto;
import io.tusk.rpc.wire.DelimitedMessages;
import java.nio.ByteBuffer;

/**
 * Reader-thread half of the protobuf engine's server side: parses the delimited
 * {@link RequestHeaderProto} and keeps the rest of the frame for the handler.
 *
 * <p>A header that does not parse does not fail the connection: it is kept as a
 * {@link MalformedRequestException} that the invoker throws on the handler thread, so the client
 * gets the ERROR (not FATAL) answer Hadoop gives, whose server only parses the header there.
 */
final class ProtobufRequestDecoder implements RequestDecoder<ProtobufRequest> {
  @Override
  public ProtobufRequest decode(ByteBuffer request) {
    try {
      RequestHeaderProto header =
          DelimitedMessages.parse(RequestHeaderProto.getDefaultInstance(), request);
      return new ProtobufRequest(header, request.slice(), null);
    } catch (InvalidProtocolBufferException e) {
      return new ProtobufRequest(null, ByteBuffer.allocate(0),
          new MalformedRequestException(e.getMessage(), e));
    }
  }
}

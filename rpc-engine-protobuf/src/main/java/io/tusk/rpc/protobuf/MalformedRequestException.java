package io.tusk.rpc.protobuf;

import io.tusk.rpc.RpcServerException;
import io.tusk.rpc.WireName;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;

/**
 * A protobuf request whose header or message could not be parsed (truncated, not a message of the
 * expected type, or missing a required field).
 *
 * <p>Answered the way Hadoop 3.4.2 answers it: status ERROR with ERROR_APPLICATION, class name
 * {@code org.apache.hadoop.thirdparty.protobuf.InvalidProtocolBufferException} (Hadoop parses both
 * parts on its handler thread, so the parser's exception travels as an application error) and the
 * parser's message. The connection stays open: the frame itself was sound.
 */
@WireName("org.apache.hadoop.thirdparty.protobuf.InvalidProtocolBufferException")
public class MalformedRequestException extends RpcServerException {
  private static final long serialVersionUID = 1L;

  /** Used when unwrapping a remote error; also by the engine with the parser's message. */
  public MalformedRequestException(String message) {
    super(message, RpcErrorCodeProto.ERROR_APPLICATION);
  }

  MalformedRequestException(String message, Throwable cause) {
    super(message, RpcErrorCodeProto.ERROR_APPLICATION, cause);
  }
}

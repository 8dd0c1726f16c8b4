package io.tusk.rpc.protobuf;

import io.tusk.rpc.NamedRequest;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.proto.ProtobufEngineProtos.RequestHeaderProto;
import java.nio.ByteBuffer;

/**
 * A protobuf-engine request as its decoder left it: the parsed header and the still encoded
 * request message, parsed by the invoker with the service's prototype (both on the handler).
 *
 * @param header the request header, or {@code null} when it could not be parsed
 * @param message the bytes after the header (a delimited request message); not to be
 *     modified
 * @param headerError why the header could not be parsed, or {@code null}
 */
record ProtobufRequest(RequestHeaderProto header, ByteBuffer message,
    MalformedRequestException headerError) implements NamedRequest {

  /** The called method for the server's per-method metrics (the kind's name when unknown). */
  @Override
  public String methodName() {
    return header != null ? header.getMethodName() : RpcKind.RPC_PROTOCOL_BUFFER.name();
  }

  /** The declaring protocol the header names, for interceptors; null when it is unreadable. */
  @Override
  public String protocolName() {
    return header != null ? header.getDeclaringClassProtocolName() : null;
  }

  @Override
  public String toString() {
    return header == null
        ? "ProtobufRequest[malformed header: " + headerError.getMessage() + "]"
        : header.getDeclaringClassProtocolName() + "." + header.getMethodName() + " v"
            + header.getClientProtocolVersion() + " (" + message.remaining() + " bytes)";
  }
}

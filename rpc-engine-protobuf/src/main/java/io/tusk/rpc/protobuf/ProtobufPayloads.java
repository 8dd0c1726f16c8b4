package io.tusk.rpc.protobuf;

import com.google.protobuf.Message;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.proto.ProtobufEngineProtos.RequestHeaderProto;

/**
 * The protobuf engine's request payload, written the same way by typed proxies
 * ({@link ProtobufInvocationHandler}) and by {@link DynamicProtobufCall}:
 *
 * <pre>
 * request payload = varint(len h) | RequestHeaderProto (h bytes) | varint(len m) | request (m)
 * </pre>
 *
 * Both build the header once per method ({@link MethodTable} per interface, DynamicProtobufCall
 * per client) and reuse it for every call. Stateless.
 */
final class ProtobufPayloads {
  private ProtobufPayloads() {}

  /** The header every call of {@code methodName} of {@code protocol} at {@code version} sends. */
  static RequestHeaderProto header(String methodName, String protocol, long version) {
    return RequestHeaderProto.newBuilder()
        .setMethodName(methodName)
        .setDeclaringClassProtocolName(protocol)
        .setClientProtocolVersion(version)
        .build();
  }

  /** The payload of one call: {@code header}, then {@code request}, each varint-delimited. */
  static RpcPayload request(RequestHeaderProto header, Message request) {
    return RpcPayload.delimited(header, request); // sized: written straight into the frame
  }
}

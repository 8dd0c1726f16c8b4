package io.tusk.rpc;

import io.tusk.rpc.proto.RpcHeaderProtos.RpcKindProto;

/**
 * Which engine decodes a request: the wire's {@code rpcKind} field of {@code RpcRequestHeaderProto}.
 *
 * <p>Servers map each kind to one registered engine ({@link EngineRegistration}); clients stamp the
 * kind of their engine on every request header.
 */
public enum RpcKind {
  /** Raw request bytes; used by tests and by Hadoop's own low-level IPC tests. */
  RPC_BUILTIN(RpcKindProto.RPC_BUILTIN),
  /** The legacy Writable engine ({@code Invocation} + {@code ObjectWritable}). */
  RPC_WRITABLE(RpcKindProto.RPC_WRITABLE),
  /** The protobuf engine ({@code RequestHeaderProto} + request message). */
  RPC_PROTOCOL_BUFFER(RpcKindProto.RPC_PROTOCOL_BUFFER);

  private static final RpcKind[] BY_WIRE_VALUE = values();

  private final RpcKindProto proto;

  RpcKind(RpcKindProto proto) {
    this.proto = proto;
  }

  /** The protobuf enum written into request headers. */
  public RpcKindProto toProto() {
    return proto;
  }

  /** The number carried on the wire. */
  public int wireValue() {
    return proto.getNumber();
  }

  /**
   * The kind for a wire value, or {@code null} when no kind has that value (the server then answers
   * FATAL_INVALID_RPC_HEADER).
   */
  public static RpcKind fromWireValue(int value) {
    return value >= 0 && value < BY_WIRE_VALUE.length ? BY_WIRE_VALUE[value] : null;
  }

  /** The kind for a header's protobuf enum. */
  public static RpcKind fromProto(RpcKindProto proto) {
    return fromWireValue(proto.getNumber());
  }
}

package io.tusk.rpc.internal.client;

import io.tusk.rpc.proto.RpcHeaderProtos.RPCCallerContextProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RPCTraceInfoProto;

/**
 * Optional request-header fields of one call, set by the client's interceptors (see
 * {@link io.tusk.rpc.intercept.ClientCall}); a connection writes those that are non-null into the
 * call's {@code RpcRequestHeaderProto}. Calls made without interceptors pass none.
 */
interface HeaderFields {
  /** The trace info to send, or null. */
  RPCTraceInfoProto traceInfo();

  /** The caller context to send, or null. */
  RPCCallerContextProto callerContext();
}

package io.tusk.rpc.intercept;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.proto.RpcHeaderProtos.RPCCallerContextProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RPCTraceInfoProto;

/**
 * One client call as a {@link ClientInterceptor} sees it, before it is sent. Header fields set
 * here go into this call's {@code RpcRequestHeaderProto} only when set, so a call no interceptor
 * touched has exactly the bytes Hadoop's client sends. Owned by the calling thread until the
 * transport takes it; do not keep it past the call.
 */
public interface ClientCall {
  /** The engine kind of the request. */
  RpcKind kind();

  /** Where the call goes (address, protocol, user). */
  ConnectionId connectionId();

  /** The engine's request bytes. */
  RpcPayload request();

  /** The retry count the header will carry. */
  int retryCount();

  /** True for {@code callAsync}: the caller's thread does not wait. */
  boolean isAsync();

  /** {@link System#nanoTime()} when the call began; its deadline counts from here. */
  long startNanos();

  /** How long the call may take in all, in nanoseconds; 0 = no deadline. */
  long timeoutNanos();

  /** The caller context set so far, or {@code null}. */
  RPCCallerContextProto callerContext();

  /** Puts {@code callerContext} into this call's request header ({@code null} removes it). */
  void setCallerContext(RPCCallerContextProto callerContext);

  /** The trace info set so far, or {@code null}. */
  RPCTraceInfoProto traceInfo();

  /** Puts {@code traceInfo} into this call's request header ({@code null} removes it). */
  void setTraceInfo(RPCTraceInfoProto traceInfo);
}

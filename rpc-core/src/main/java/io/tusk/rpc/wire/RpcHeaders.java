package io.tusk.rpc.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.proto.RpcHeaderProtos.RPCCallerContextProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RPCTraceInfoProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcRequestHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Builds and parses the varint-delimited headers at the start of every frame body.
 *
 * <pre>
 * request body:  [varint n][RpcRequestHeaderProto: n bytes][engine request bytes ...]
 * response body: [varint n][RpcResponseHeaderProto: n bytes][engine response bytes, SUCCESS only]
 * </pre>
 */
public final class RpcHeaders {
  private RpcHeaders() {}

  /** The header of an ordinary call. */
  public static RpcRequestHeaderProto request(RpcKind kind, int callId, int retryCount,
      ByteString clientId) {
    return RpcRequestHeaderProto.newBuilder()
        .setRpcKind(kind.toProto())
        .setRpcOp(RpcRequestHeaderProto.OperationProto.RPC_FINAL_PACKET)
        .setCallId(callId)
        .setRetryCount(retryCount)
        .setClientId(clientId)
        .build();
  }

  /**
   * The header of an ordinary call with the optional fields a client interceptor set; each is
   * written only when non-null, so with both null the bytes equal {@link #request}'s.
   */
  public static RpcRequestHeaderProto request(RpcKind kind, int callId, int retryCount,
      ByteString clientId, RPCTraceInfoProto traceInfo, RPCCallerContextProto callerContext) {
    if (traceInfo == null && callerContext == null) {
      return request(kind, callId, retryCount, clientId);
    }
    RpcRequestHeaderProto.Builder b = request(kind, callId, retryCount, clientId).toBuilder();
    if (traceInfo != null) {
      b.setTraceInfo(traceInfo);
    }
    if (callerContext != null) {
      b.setCallerContext(callerContext);
    }
    return b.build();
  }

  /** The header of the connection context frame (call id -3, PROTOCOL_BUFFER, not a retry). */
  public static RpcRequestHeaderProto connectionContext(ByteString clientId) {
    return request(RpcKind.RPC_PROTOCOL_BUFFER, RpcConstants.CONNECTION_CONTEXT_CALL_ID,
        RpcConstants.INVALID_RETRY_COUNT, clientId);
  }

  /** The header of a ping (call id -4). */
  public static RpcRequestHeaderProto ping(ByteString clientId) {
    return request(RpcKind.RPC_PROTOCOL_BUFFER, RpcConstants.PING_CALL_ID,
        RpcConstants.INVALID_RETRY_COUNT, clientId);
  }

  /** The header of a successful response; the engine's bytes follow it. */
  public static RpcResponseHeaderProto success(int callId, ByteString clientId, int retryCount) {
    return RpcResponseHeaderProto.newBuilder()
        .setCallId(callId)
        .setStatus(RpcStatusProto.SUCCESS)
        .setServerIpcVersionNum(RpcConstants.CURRENT_VERSION)
        .setClientId(clientId)
        .setRetryCount(retryCount)
        .build();
  }

  /**
   * The header of a failed call. {@code status} is ERROR (the connection lives on) or FATAL (the
   * server closes the connection after sending it).
   */
  public static RpcResponseHeaderProto failure(int callId, ByteString clientId, int retryCount,
      RpcStatusProto status, String exceptionClassName, String errorMsg,
      RpcErrorCodeProto errorDetail) {
    RpcResponseHeaderProto.Builder b = RpcResponseHeaderProto.newBuilder()
        .setCallId(callId)
        .setStatus(status)
        .setServerIpcVersionNum(RpcConstants.CURRENT_VERSION)
        .setExceptionClassName(exceptionClassName)
        .setErrorDetail(errorDetail)
        .setClientId(clientId)
        .setRetryCount(retryCount);
    if (errorMsg != null) {
      b.setErrorMsg(errorMsg);
    }
    return b.build();
  }

  /**
   * Parses the delimited request header at {@code body}'s position and leaves the position on the
   * first byte after it (the engine's request).
   *
   * @throws IOException when the bytes are not a complete, valid header
   */
  public static RpcRequestHeaderProto parseRequest(ByteBuffer body) throws IOException {
    return DelimitedMessages.readHeader(body, RpcRequestHeaderProto.parser());
  }

  /** Like {@link #parseRequest} for a response header. */
  public static RpcResponseHeaderProto parseResponse(ByteBuffer body) throws IOException {
    return DelimitedMessages.readHeader(body, RpcResponseHeaderProto.parser());
  }

  /**
   * Reads one varint-delimited message; a missing or short message is an error, not null
   * ({@link DelimitedMessages#readHeader(CodedInputStream, com.google.protobuf.Parser)}).
   */
  public static <T extends com.google.protobuf.MessageLite> T readDelimited(CodedInputStream in,
      com.google.protobuf.Parser<T> parser) throws IOException {
    return DelimitedMessages.readHeader(in, parser);
  }
}

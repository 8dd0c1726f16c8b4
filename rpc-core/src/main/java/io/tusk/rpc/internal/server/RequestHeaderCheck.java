package io.tusk.rpc.internal.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcRequestHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.wire.HadoopNames;
import io.tusk.rpc.wire.RpcConstants;
import java.util.List;
import java.util.function.Function;

/**
 * What a server does with one framed request, judged from its {@link RpcRequestHeaderProto}
 * alone: a pure function from (connection phase, header or header parse failure, engine lookup)
 * to a {@link Verdict}. {@link Connection}'s reader thread calls it for every frame after the
 * preamble and carries the verdict out; nothing here touches a socket, a budget or a log.
 *
 * <p>The answers (texts, codes, call ids) are Tusk's own, kept byte-for-byte as they were when
 * this check lived inside {@code Connection}; where they differ from Hadoop 3.4.2 is listed in
 * {@code docs/hadoop-3.4.2-ipc-facts.md} section c and REVIEW.md F7.
 */
final class RequestHeaderCheck {
  private RequestHeaderCheck() {}

  /** Which frame the connection expects next. */
  enum Phase {
    /** Preamble accepted, connection context not yet received. */
    CONTEXT,
    /** Connection context received: frames are calls. */
    CALLS
  }

  /** The outcome of checking one request header. */
  sealed interface Verdict {}

  /** The frame is the connection context: its body holds an {@code IpcConnectionContextProto}. */
  enum Context implements Verdict { INSTANCE }

  /** A ping: no answer, connection kept. */
  enum Ping implements Verdict { INSTANCE }

  /** The client asked to close ({@code RPC_CLOSE_CONNECTION}): close at once, no answer. */
  enum CloseSilently implements Verdict { INSTANCE }

  /** A call for {@code engine}, whose kind is the header's kind. */
  record Dispatch(EngineSlot engine) implements Verdict {}

  /**
   * Answer FATAL with these response-header fields, then close after it is written; no later
   * frame of the connection is processed.
   */
  record Fatal(int callId, int retryCount, ByteString clientId, String exceptionClass,
      String message, RpcErrorCodeProto code) implements Verdict {}

  /** The refusal of a SASL negotiation (simple authentication only), for {@code callId}. */
  static Fatal saslRefusal(int callId) {
    return new Fatal(callId, RpcConstants.INVALID_RETRY_COUNT, ByteString.EMPTY,
        HadoopNames.ACCESS_CONTROL_EXCEPTION,
        "SASL authentication is not supported by this server: it accepts simple authentication"
            + " only (hadoop.security.authentication=simple)",
        RpcErrorCodeProto.FATAL_UNAUTHORIZED);
  }

  /** The verdict for a frame whose request header did not parse ({@code reason}). */
  static Fatal headerUnreadable(Exception reason) {
    return new Fatal(RpcConstants.UNKNOWN_CALL_ID, RpcConstants.INVALID_RETRY_COUNT,
        ByteString.EMPTY, HadoopNames.RPC_SERVER_EXCEPTION,
        "Invalid RPC header: " + reason.getMessage(), RpcErrorCodeProto.FATAL_INVALID_RPC_HEADER);
  }

  /** The verdict for a context frame ({@link Context}) whose body did not parse. */
  static Fatal contextUnreadable(RpcRequestHeaderProto header, Exception reason) {
    return new Fatal(header.getCallId(), header.getRetryCount(), header.getClientId(),
        HadoopNames.RPC_SERVER_EXCEPTION,
        "Connection context not decodable: " + reason.getMessage(),
        RpcErrorCodeProto.FATAL_DESERIALIZING_REQUEST);
  }

  /**
   * Judges one parsed request header.
   *
   * @param phase whether the connection context has been received
   * @param header the frame's request header
   * @param engines the server's registered engine for a kind, or {@code null}
   */
  static Verdict check(Phase phase, RpcRequestHeaderProto header,
      Function<RpcKind, EngineSlot> engines) {
    return phase == Phase.CONTEXT ? checkContext(header) : checkCall(header, engines);
  }

  private static Verdict checkContext(RpcRequestHeaderProto header) {
    int callId = header.getCallId();
    if (callId == RpcConstants.PING_CALL_ID) {
      return Ping.INSTANCE;
    }
    if (callId == RpcConstants.SASL_CALL_ID) {
      return saslRefusal(callId);
    }
    if (callId != RpcConstants.CONNECTION_CONTEXT_CALL_ID) {
      return invalidHeader(header,
          "Connection context not established: the first frame must carry call id "
              + RpcConstants.CONNECTION_CONTEXT_CALL_ID + ", got " + callId);
    }
    return Context.INSTANCE;
  }

  private static Verdict checkCall(RpcRequestHeaderProto header,
      Function<RpcKind, EngineSlot> engines) {
    int callId = header.getCallId();
    if (callId < 0) {
      if (callId == RpcConstants.PING_CALL_ID) {
        return Ping.INSTANCE;
      }
      if (callId == RpcConstants.SASL_CALL_ID) {
        return saslRefusal(callId);
      }
      return invalidHeader(header, callId == RpcConstants.CONNECTION_CONTEXT_CALL_ID
          ? "Connection context already received"
          : "Unknown out of band call #" + callId);
    }
    if (header.getRpcOp() == RpcRequestHeaderProto.OperationProto.RPC_CLOSE_CONNECTION) {
      return CloseSilently.INSTANCE;
    }
    Long kindValue = rawKind(header);
    RpcKind kind = kindValue == null || kindValue > Integer.MAX_VALUE ? null
        : RpcKind.fromWireValue(kindValue.intValue());
    EngineSlot engine = kind == null ? null : engines.apply(kind);
    if (engine == null) {
      return invalidHeader(header, kindValue == null
          ? "IPC Server: No rpc kind in rpcRequestHeader"
          : "Unknown rpc kind in rpc header " + (kind != null ? kind.name() : kindValue));
    }
    return new Dispatch(engine);
  }

  private static Fatal invalidHeader(RpcRequestHeaderProto header, String message) {
    return new Fatal(header.getCallId(), header.getRetryCount(), header.getClientId(),
        HadoopNames.RPC_SERVER_EXCEPTION, message,
        RpcErrorCodeProto.FATAL_INVALID_RPC_HEADER);
  }

  /**
   * The header's rpcKind as sent: proto2 keeps an enum value it does not know among the unknown
   * fields, where {@code getRpcKind()} would silently answer the default. {@code null} when the
   * field is absent.
   */
  static Long rawKind(RpcRequestHeaderProto header) {
    if (header.hasRpcKind()) {
      return (long) header.getRpcKind().getNumber();
    }
    UnknownFieldSet unknown = header.getUnknownFields();
    if (unknown.hasField(RpcRequestHeaderProto.RPCKIND_FIELD_NUMBER)) {
      List<Long> values = unknown.getField(RpcRequestHeaderProto.RPCKIND_FIELD_NUMBER)
          .getVarintList();
      if (!values.isEmpty()) {
        return values.get(values.size() - 1);
      }
    }
    return null;
  }
}

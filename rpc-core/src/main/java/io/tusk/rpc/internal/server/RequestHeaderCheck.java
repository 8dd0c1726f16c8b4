package io.tusk.rpc.internal.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Message;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.proto.ConnectionContextProtos.IpcConnectionContextProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcRequestHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcRequestHeaderProto.OperationProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.wire.HadoopNames;
import io.tusk.rpc.wire.RpcConstants;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * What a server does with one framed request, judged from its {@link RpcRequestHeaderProto}
 * alone: a pure function from (connection phase, header or header bytes that did not parse,
 * engine lookup) to a {@link Verdict}. {@link ConnectionReader} calls it for every frame after
 * the preamble and carries the verdict out; nothing here touches a socket, a budget or a log.
 *
 * <p>The checks, their order and every answer (call id, retry count, class, text, code) are
 * Hadoop 3.4.2's {@code Server.Connection.processOneRpc}, {@code checkRpcHeaders},
 * {@code processRpcOutOfBandRequest} and {@code processRpcRequest}, as listed in
 * {@code docs/hadoop-3.4.2-ipc-facts.md} section c:
 *
 * <pre>
 * header does not decode           FATAL -1/-1 "Error decoding RpcRequestHeaderProto: " + e (13)
 * rpcOp absent (or unknown number) FATAL " IPC Server: No rpc op in rpcRequestHeader"      (12)
 * rpcOp not RPC_FINAL_PACKET       FATAL "IPC Server does not implement rpc header operation" + op
 * rpcKind absent (or unknown)      FATAL " IPC Server: No rpc kind in rpcRequestHeader"    (12)
 * call id -3                       the context; a second one: "Connection context already processed"
 * call id -33                      "SASL protocol not requested by client" (the preamble said NONE)
 * call id -4                       ping: no answer
 * other negative call id           "Unknown out of band call #" + id
 * call before the context          "Connection context not established"
 * no engine for the kind           "Unknown rpc kind in rpc header" + kind
 * </pre>
 *
 * Every FATAL of this check echoes the header's call id and retry count and carries an empty
 * client id, as Hadoop's {@code new RpcCall(connection, callId, retry)} does.
 */
final class RequestHeaderCheck {
  private RequestHeaderCheck() {}

  /** How Hadoop's shaded protobuf names {@code com.google.protobuf} classes. */
  private static final String PROTOBUF_PACKAGE = "com.google.protobuf.";
  private static final String HADOOP_PROTOBUF_PACKAGE = "org.apache.hadoop.thirdparty.protobuf.";

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

  /** A call for {@code engine}, whose kind is the header's kind. */
  record Dispatch(EngineSlot engine) implements Verdict {}

  /**
   * Answer FATAL with these response-header fields, then close after it is written; no later
   * frame of the connection is processed.
   */
  record Fatal(int callId, int retryCount, ByteString clientId, String exceptionClass,
      String message, RpcErrorCodeProto code) implements Verdict {}

  /** The refusal of a SASL preamble (simple authentication only), for {@code callId}. */
  static Fatal saslRefusal(int callId) {
    return new Fatal(callId, RpcConstants.INVALID_RETRY_COUNT, ByteString.EMPTY,
        HadoopNames.ACCESS_CONTROL_EXCEPTION,
        "SASL authentication is not supported by this server: it accepts simple authentication"
            + " only (hadoop.security.authentication=simple)",
        RpcErrorCodeProto.FATAL_UNAUTHORIZED);
  }

  /**
   * The verdict for a frame whose request header did not parse: Hadoop's answer, call id and
   * retry count -1, {@code FATAL_DESERIALIZING_REQUEST}, and the text of the exception Hadoop's
   * decoding of the same bytes throws.
   *
   * @param body the frame body, at the header's first byte (not moved)
   * @param reason why Tusk's parser refused it; its text is used only if Hadoop's steps would
   *     accept the bytes (they refuse the same inputs)
   */
  static Fatal headerUnreadable(ByteBuffer body, IOException reason) {
    return new Fatal(RpcConstants.UNKNOWN_CALL_ID, RpcConstants.INVALID_RETRY_COUNT,
        ByteString.EMPTY, HadoopNames.RPC_SERVER_EXCEPTION,
        decodingError(RpcRequestHeaderProto.getDefaultInstance(), body, reason),
        RpcErrorCodeProto.FATAL_DESERIALIZING_REQUEST);
  }

  /**
   * The verdict for a context frame ({@link Context}) whose body did not parse, as Hadoop's
   * {@code processConnectionContext} answers: the header's call id and retry count,
   * {@code "Error decoding IpcConnectionContextProto: " + e}, {@code FATAL_DESERIALIZING_REQUEST}.
   *
   * @param context the bytes after the request header (not moved)
   */
  static Fatal contextUnreadable(RpcRequestHeaderProto header, ByteBuffer context,
      IOException reason) {
    return new Fatal(header.getCallId(), header.getRetryCount(), ByteString.EMPTY,
        HadoopNames.RPC_SERVER_EXCEPTION,
        decodingError(IpcConnectionContextProto.getDefaultInstance(), context, reason),
        RpcErrorCodeProto.FATAL_DESERIALIZING_REQUEST);
  }

  /**
   * Hadoop's {@code "Error decoding " + simple name + ": " + exception}: the bytes are decoded as
   * Hadoop's {@code RpcWritable.ProtobufWrapper.readFrom} does (varint length, limit,
   * {@code parseFrom}, last tag 0), and the exception is named as Hadoop's shaded protobuf names
   * it.
   */
  static String decodingError(Message prototype, ByteBuffer bytes, IOException reason) {
    Exception failure = reason;
    ByteBuffer copy = bytes.duplicate();
    byte[] array = new byte[copy.remaining()];
    copy.get(array);
    try {
      CodedInputStream in = CodedInputStream.newInstance(array);
      in.pushLimit(in.readRawVarint32());
      prototype.getParserForType().parseFrom(in);
      in.checkLastTagWas(0);
    } catch (Exception e) {
      failure = e;
    }
    return "Error decoding " + prototype.getClass().getSimpleName() + ": " + hadoopText(failure);
  }

  /** {@code failure.toString()} with protobuf's classes under Hadoop's shaded package. */
  static String hadoopText(Exception failure) {
    String name = failure.getClass().getName();
    if (name.startsWith(PROTOBUF_PACKAGE)) {
      name = HADOOP_PROTOBUF_PACKAGE + name.substring(PROTOBUF_PACKAGE.length());
    }
    String message = failure.getLocalizedMessage();
    return message != null ? name + ": " + message : name;
  }

  /**
   * Judges one parsed request header, in Hadoop's order.
   *
   * @param phase whether the connection context has been received
   * @param header the frame's request header
   * @param engines the server's registered engine for a kind, or {@code null}
   */
  static Verdict check(Phase phase, RpcRequestHeaderProto header,
      Function<RpcKind, EngineSlot> engines) {
    if (!header.hasRpcOp()) { // an op number protobuf does not know leaves it unset, as Hadoop's
      return invalidHeader(header, " IPC Server: No rpc op in rpcRequestHeader");
    }
    if (header.getRpcOp() != OperationProto.RPC_FINAL_PACKET) {
      return invalidHeader(header,
          "IPC Server does not implement rpc header operation" + header.getRpcOp().name());
    }
    if (!header.hasRpcKind()) { // likewise for a kind number protobuf does not know
      return invalidHeader(header, " IPC Server: No rpc kind in rpcRequestHeader");
    }
    int callId = header.getCallId();
    if (callId < 0) {
      return outOfBand(phase, header);
    }
    if (phase == Phase.CONTEXT) {
      return invalidHeader(header, "Connection context not established");
    }
    EngineSlot engine = engines.apply(RpcKind.fromProto(header.getRpcKind()));
    if (engine == null) {
      return invalidHeader(header,
          "Unknown rpc kind in rpc header" + header.getRpcKind().name());
    }
    return new Dispatch(engine);
  }

  private static Verdict outOfBand(Phase phase, RpcRequestHeaderProto header) {
    int callId = header.getCallId();
    if (callId == RpcConstants.CONNECTION_CONTEXT_CALL_ID) {
      return phase == Phase.CONTEXT ? Context.INSTANCE
          : invalidHeader(header, "Connection context already processed");
    }
    if (callId == RpcConstants.SASL_CALL_ID) {
      // a SASL preamble is refused before any frame, so a SASL frame here follows a NONE preamble
      return invalidHeader(header, "SASL protocol not requested by client");
    }
    if (callId == RpcConstants.PING_CALL_ID) {
      return Ping.INSTANCE;
    }
    return invalidHeader(header, "Unknown out of band call #" + callId);
  }

  private static Fatal invalidHeader(RpcRequestHeaderProto header, String message) {
    return new Fatal(header.getCallId(), header.getRetryCount(), ByteString.EMPTY,
        HadoopNames.RPC_SERVER_EXCEPTION, message, RpcErrorCodeProto.FATAL_INVALID_RPC_HEADER);
  }
}

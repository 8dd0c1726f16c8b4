package io.tusk.rpc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.internal.server.RequestHeaderCheck.Context;
import io.tusk.rpc.internal.server.RequestHeaderCheck.Dispatch;
import io.tusk.rpc.internal.server.RequestHeaderCheck.Fatal;
import io.tusk.rpc.internal.server.RequestHeaderCheck.Phase;
import io.tusk.rpc.internal.server.RequestHeaderCheck.Ping;
import io.tusk.rpc.internal.server.RequestHeaderCheck.Verdict;
import io.tusk.rpc.proto.ConnectionContextProtos.IpcConnectionContextProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcRequestHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.testing.EchoEngine;
import io.tusk.rpc.wire.HadoopNames;
import io.tusk.rpc.wire.RpcConstants;
import io.tusk.rpc.wire.RpcHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request-header check answers as Hadoop 3.4.2's server does, one row per header probe of
 * {@code docs/hadoop-3.4.2-ipc-facts.md} section c (plus the cases around them): each row is the
 * header's fields and the expected answer (dispatch, context, ping, or FATAL with call id, retry
 * count, class, message and code; every FATAL closes the connection). Each row's header is
 * written field by field as raw protobuf bytes, the way a peer would send it (so an unknown enum
 * number really lands among the unknown fields), parsed with the server's own
 * {@link RpcHeaders#parseRequest}, and judged; a parse failure is judged by
 * {@link RequestHeaderCheck#headerUnreadable}, as {@link ConnectionReader} does. The same headers
 * go to a real Hadoop server and to Tusk's side by side in interop-hadoop's
 * {@code RequestHeaderAnswersMatchHadoopServerTest}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestHeaderCheckTest {
  private static final EngineSlot BUILTIN = new EngineSlot(EchoEngine.registration(),
      new io.tusk.rpc.server.ProtocolRegistry().bindings(RpcKind.RPC_BUILTIN));
  private static final Map<RpcKind, EngineSlot> ENGINES = new EnumMap<>(RpcKind.class);

  static {
    ENGINES.put(RpcKind.RPC_BUILTIN, BUILTIN); // only this kind has an engine
  }

  private static final ByteString CLIENT = ByteString.copyFrom(new byte[] {
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  private static final String RSE = HadoopNames.RPC_SERVER_EXCEPTION;
  private static final RpcErrorCodeProto INVALID = RpcErrorCodeProto.FATAL_INVALID_RPC_HEADER;

  private static final int BUILTIN_KIND = 0;
  private static final int WRITABLE_KIND = 1;
  private static final int PROTOBUF_KIND = 2;
  private static final int FINAL_OP = 0;
  private static final int CONTINUATION_OP = 1;
  private static final int CLOSE_OP = 2;

  /** One raw request header; {@code null} leaves a field out. */
  private record Raw(Long kind, Long op, Integer callId, ByteString clientId, Integer retry) {
    static Raw call(int callId) {
      return new Raw((long) BUILTIN_KIND, (long) FINAL_OP, callId, CLIENT, 0);
    }

    Raw kind(Long value) {
      return new Raw(value, op, callId, clientId, retry);
    }

    Raw op(Long value) {
      return new Raw(kind, value, callId, clientId, retry);
    }

    Raw callId(Integer value) {
      return new Raw(kind, op, value, clientId, retry);
    }

    Raw retry(Integer value) {
      return new Raw(kind, op, callId, clientId, value);
    }

    /** The frame body: the header, varint-delimited, as a client writes it. */
    byte[] frame() {
      try {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(header);
        if (kind != null) {
          out.writeUInt64(RpcRequestHeaderProto.RPCKIND_FIELD_NUMBER, kind);
        }
        if (op != null) {
          out.writeUInt64(RpcRequestHeaderProto.RPCOP_FIELD_NUMBER, op);
        }
        if (callId != null) {
          out.writeSInt32(RpcRequestHeaderProto.CALLID_FIELD_NUMBER, callId);
        }
        if (clientId != null) {
          out.writeBytes(RpcRequestHeaderProto.CLIENTID_FIELD_NUMBER, clientId);
        }
        if (retry != null) {
          out.writeSInt32(RpcRequestHeaderProto.RETRYCOUNT_FIELD_NUMBER, retry);
        }
        out.flush();
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        CodedOutputStream delimited = CodedOutputStream.newInstance(frame);
        delimited.writeUInt32NoTag(header.size());
        delimited.writeRawBytes(header.toByteArray());
        delimited.flush();
        return frame.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final String IPBE =
      "org.apache.hadoop.thirdparty.protobuf.InvalidProtocolBufferException";
  private static final String TRUNCATED = "While parsing a protocol message, the input ended"
      + " unexpectedly in the middle of a field.  This could mean either that the input has been"
      + " truncated or that an embedded message misreported its own length.";

  /** Hadoop's FATAL for a header it decoded: the header's call id and retry, empty client id. */
  private static Fatal invalid(int callId, int retry, String message) {
    return new Fatal(callId, retry, ByteString.EMPTY, RSE, message, INVALID);
  }

  /** Hadoop's FATAL for a header it could not decode: -1/-1, code 13, the exception's text. */
  private static Fatal unreadable(String exception) {
    return new Fatal(RpcConstants.UNKNOWN_CALL_ID, RpcConstants.INVALID_RETRY_COUNT,
        ByteString.EMPTY, RSE, "Error decoding RpcRequestHeaderProto: " + exception,
        RpcErrorCodeProto.FATAL_DESERIALIZING_REQUEST);
  }

  private static Arguments row(String name, Phase phase, byte[] frame, Verdict expected) {
    return Arguments.of(name, phase, frame, expected);
  }

  private static Arguments row(String name, Phase phase, Raw header, Verdict expected) {
    return row(name, phase, header.frame(), expected);
  }

  static Stream<Arguments> rows() {
    Phase ctx = Phase.CONTEXT;
    Phase calls = Phase.CALLS;
    String noOp = " IPC Server: No rpc op in rpcRequestHeader";
    String noKind = " IPC Server: No rpc kind in rpcRequestHeader";
    String op = "IPC Server does not implement rpc header operation";
    return Stream.of(
        // ---- before the connection context ----
        row("context frame", ctx, Raw.call(-3).kind((long) PROTOBUF_KIND), Context.INSTANCE),
        row("context frame: rpcOp is checked first", ctx, Raw.call(-3).op((long) CLOSE_OP),
            invalid(-3, 0, op + "RPC_CLOSE_CONNECTION")),
        row("context frame without rpcKind", ctx, Raw.call(-3).kind(null).retry(-1),
            invalid(-3, -1, noKind)),
        row("call before context", ctx, Raw.call(0).retry(3),
            invalid(0, 3, "Connection context not established")),
        row("call before context, rpcOp checked first", ctx, Raw.call(0).op(null),
            invalid(0, 0, noOp)),
        row("ping before context", ctx, Raw.call(-4), Ping.INSTANCE),
        row("ping before context, no kind", ctx, Raw.call(-4).kind(null), invalid(-4, 0, noKind)),
        row("SASL frame after a NONE preamble", ctx, Raw.call(-33).retry(-1),
            invalid(-33, -1, "SASL protocol not requested by client")),
        row("unknown out-of-band id before context", ctx, Raw.call(-7),
            invalid(-7, 0, "Unknown out of band call #-7")),
        row("unreadable header before context", ctx, new byte[0],
            unreadable(IPBE + ": " + TRUNCATED)),

        // ---- after it ----
        row("call for a registered engine", calls, Raw.call(5), new Dispatch(BUILTIN)),
        row("call id Integer.MAX_VALUE", calls, Raw.call(Integer.MAX_VALUE),
            new Dispatch(BUILTIN)),
        row("retry count absent is fine", calls, Raw.call(5).retry(null), new Dispatch(BUILTIN)),
        row("rpcOp absent", calls, Raw.call(5).op(null).retry(2), invalid(5, 2, noOp)),
        row("rpcOp continuation", calls, Raw.call(5).op((long) CONTINUATION_OP),
            invalid(5, 0, op + "RPC_CONTINUATION_PACKET")),
        // an unknown op number lands among the unknown fields: hasRpcOp() is false
        row("rpcOp unknown number", calls, Raw.call(5).op(9L), invalid(5, 0, noOp)),
        row("rpcOp close connection", calls, Raw.call(5).op((long) CLOSE_OP),
            invalid(5, 0, op + "RPC_CLOSE_CONNECTION")),
        row("rpcOp is judged before rpcKind", calls, Raw.call(5).op((long) CLOSE_OP).kind(null),
            invalid(5, 0, op + "RPC_CLOSE_CONNECTION")),
        row("rpcOp is judged before the call id", calls, Raw.call(-7).op((long) CLOSE_OP),
            invalid(-7, 0, op + "RPC_CLOSE_CONNECTION")),
        row("rpcKind absent", calls, Raw.call(5).kind(null).retry(2), invalid(5, 2, noKind)),
        row("rpcKind unknown number 7", calls, Raw.call(5).kind(7L), invalid(5, 0, noKind)),
        row("rpcKind negative", calls, Raw.call(5).kind(-1L), invalid(5, 0, noKind)),
        // the enum is int32 on the wire: protobuf keeps the low 32 bits of a longer varint (as
        // Hadoop's protobuf does), so 2^33 reads as 0 (RPC_BUILTIN) and 2^33 + 7 as 7
        row("rpcKind 2^33 is RPC_BUILTIN", calls, Raw.call(5).kind(1L << 33),
            new Dispatch(BUILTIN)),
        row("rpcKind 2^33 + 7 is 7", calls, Raw.call(5).kind((1L << 33) + 7),
            invalid(5, 0, noKind)),
        // Hadoop only answers this with paramClass == null; the text has no space, as Hadoop's
        row("known kind without engine", calls, Raw.call(5).kind((long) WRITABLE_KIND),
            invalid(5, 0, "Unknown rpc kind in rpc headerRPC_WRITABLE")),
        row("known kind without engine (protobuf)", calls,
            Raw.call(6).kind((long) PROTOBUF_KIND).retry(1),
            invalid(6, 1, "Unknown rpc kind in rpc headerRPC_PROTOCOL_BUFFER")),
        row("ping", calls, Raw.call(-4), Ping.INSTANCE),
        row("ping of an unknown kind", calls, Raw.call(-4).kind(7L), invalid(-4, 0, noKind)),
        row("ping of another known kind", calls, Raw.call(-4).kind((long) WRITABLE_KIND),
            Ping.INSTANCE),
        row("SASL after context", calls, Raw.call(-33),
            invalid(-33, 0, "SASL protocol not requested by client")),
        row("second connection context", calls, Raw.call(-3),
            invalid(-3, 0, "Connection context already processed")),
        row("unknown out-of-band id", calls, Raw.call(-7),
            invalid(-7, 0, "Unknown out of band call #-7")),
        row("call id -1", calls, Raw.call(-1), invalid(-1, 0, "Unknown out of band call #-1")),
        row("call id -2", calls, Raw.call(-2), invalid(-2, 0, "Unknown out of band call #-2")),
        row("call id Integer.MIN_VALUE", calls, Raw.call(Integer.MIN_VALUE),
            invalid(Integer.MIN_VALUE, 0, "Unknown out of band call #" + Integer.MIN_VALUE)),
        row("call id absent", calls, Raw.call(5).callId(null),
            unreadable(IPBE + ": Message missing required fields: callId")),
        row("client id absent", calls, new Raw((long) BUILTIN_KIND, 0L, 5, null, 0),
            unreadable(IPBE + ": Message missing required fields: clientId")),
        row("both required fields absent", calls, new Raw(null, null, null, null, null),
            unreadable(IPBE + ": Message missing required fields: callId, clientId")),
        row("zero-length frame", calls, new byte[0], unreadable(IPBE + ": " + TRUNCATED)),
        row("header longer than its frame", calls, new byte[] {10, 8, 1},
            unreadable(IPBE + ": " + TRUNCATED)),
        row("negative header length", calls, new byte[] {-1, -1, -1, -1, 15, 8, 0},
            unreadable(IPBE + ": CodedInputStream encountered an embedded string or message"
                + " which claimed to have negative size.")),
        row("malformed varint length", calls, new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1,
            -1, -1}, unreadable(IPBE + ": CodedInputStream encountered a malformed varint.")),
        row("a zero tag in the header", calls, new byte[] {2, 0, 0},
            unreadable(IPBE + ": Protocol message contained an invalid tag (zero).")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void answersAsHadoop(String name, Phase phase, byte[] frame, Verdict expected) {
    assertThat(judge(phase, frame)).as(name).isEqualTo(expected);
  }

  @Test
  void saslRefusalNamesSimpleAuthentication() {
    Fatal refusal = RequestHeaderCheck.saslRefusal(RpcConstants.SASL_CALL_ID);
    assertThat(refusal.callId()).isEqualTo(-33);
    assertThat(refusal.retryCount()).isEqualTo(RpcConstants.INVALID_RETRY_COUNT);
    assertThat(refusal.clientId()).isEqualTo(ByteString.EMPTY);
    assertThat(refusal.exceptionClass()).isEqualTo(HadoopNames.ACCESS_CONTROL_EXCEPTION);
    assertThat(refusal.message()).contains("SASL").contains("simple");
    assertThat(refusal.code()).isEqualTo(RpcErrorCodeProto.FATAL_UNAUTHORIZED);
  }

  @Test
  void unreadableContextBodyGetsHadoopsDecodingError() throws IOException {
    RpcRequestHeaderProto header = RpcHeaders.parseRequest(
        ByteBuffer.wrap(Raw.call(-3).retry(4).frame()));
    ByteBuffer context = ByteBuffer.wrap(new byte[] {5, 0x12, 7, 'b'}); // length 5, 3 bytes left
    IOException failure = assertThrows(IOException.class,
        () -> RpcHeaders.readDelimited(com.google.protobuf.CodedInputStream.newInstance(
            context.duplicate()), IpcConnectionContextProto.parser()));
    assertThat(RequestHeaderCheck.contextUnreadable(header, context, failure)).isEqualTo(
        new Fatal(-3, 4, ByteString.EMPTY, RSE,
            "Error decoding IpcConnectionContextProto: " + IPBE + ": " + TRUNCATED,
            RpcErrorCodeProto.FATAL_DESERIALIZING_REQUEST));
    assertThat(context.position()).as("the bytes are not consumed").isZero();
  }

  @Test
  void exceptionsOutsideProtobufKeepTheirNames() {
    assertThat(RequestHeaderCheck.hadoopText(new IOException("boom")))
        .isEqualTo("java.io.IOException: boom");
    assertThat(RequestHeaderCheck.hadoopText(new IllegalStateException()))
        .isEqualTo("java.lang.IllegalStateException");
  }

  /** What ConnectionReader does with a frame body after the preamble. */
  private static Verdict judge(Phase phase, byte[] frame) {
    RpcRequestHeaderProto header;
    try {
      header = RpcHeaders.parseRequest(ByteBuffer.wrap(frame));
    } catch (IOException e) {
      return RequestHeaderCheck.headerUnreadable(ByteBuffer.wrap(frame), e);
    }
    return RequestHeaderCheck.check(phase, header, ENGINES::get);
  }
}

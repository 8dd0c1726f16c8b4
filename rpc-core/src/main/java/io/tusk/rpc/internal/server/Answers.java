package io.tusk.rpc.internal.server;

import com.google.protobuf.ByteString;
import io.tusk.rpc.internal.server.RequestHeaderCheck.Fatal;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.wire.Preamble;
import io.tusk.rpc.wire.HadoopNames;
import io.tusk.rpc.wire.RpcConstants;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The answers a server writes before (or instead of) framing: the HTTP 404 for a browser, the
 * pre-protobuf version-mismatch layout for Hadoop clients older than version 9, and which answer
 * a refused preamble gets ({@link #refusePreamble}).
 *
 * <pre>
 * old fatal layout (client versions 3..8), not length-prefixed:
 * +--------------+--------------+-----------------------------+-----------------------------+
 * | int32 callId | int32 -1     | int32 n + n bytes UTF-8     | int32 m + m bytes UTF-8     |
 * | (-1)         | (FATAL)      | exception class name        | error message               |
 * +--------------+--------------+-----------------------------+-----------------------------+
 * </pre>
 * Stateless; called by reader threads.
 */
final class Answers {
  private Answers() {}

  /**
   * How to refuse a preamble: send {@code fatal} (a framed FATAL answer), or else the raw bytes
   * {@code raw}, or else nothing; then close. {@code logReason} is what the server logs (with
   * {@code fatal}, before its error code), or {@code null} for no log line.
   */
  record PreambleRefusal(Fatal fatal, byte[] raw, String logReason) {}

  /**
   * The refusal of a preamble that {@link Preamble#check} did not find {@code OK}. A bad version
   * is answered like Hadoop's {@code setupBadVersionResponse}, by the client's version byte.
   *
   * @param preamble the seven preamble bytes
   */
  static PreambleRefusal refusePreamble(Preamble.Verdict verdict, byte[] preamble) {
    switch (verdict) {
      case HTTP_GET:
        return new PreambleRefusal(null, httpNotFound(), null);
      case BAD_MAGIC:
      case BAD_VERSION:
        return refuseVersion(verdict, preamble);
      case SASL_NOT_SUPPORTED:
        Fatal sasl = RequestHeaderCheck.saslRefusal(RpcConstants.SASL_CALL_ID);
        return new PreambleRefusal(sasl, null, sasl.message());
      case UNKNOWN_AUTH_PROTOCOL:
        Fatal auth = new Fatal(RpcConstants.SASL_CALL_ID, RpcConstants.INVALID_RETRY_COUNT,
            ByteString.EMPTY, HadoopNames.IPC_EXCEPTION,
            "Unknown auth protocol:" + preamble[6], RpcErrorCodeProto.FATAL_UNAUTHORIZED);
        return new PreambleRefusal(auth, null, auth.message());
      default:
        throw new IllegalArgumentException("not a refusal: " + verdict);
    }
  }

  private static PreambleRefusal refuseVersion(Preamble.Verdict verdict, byte[] preamble) {
    int version = preamble[4]; // signed, as Hadoop reads it
    String message = versionMismatchMessage(version);
    String reason = verdict == Preamble.Verdict.BAD_MAGIC
        ? "wrong magic " + hex(preamble, 4) : "IPC version " + version + " is not supported";
    if (version >= RpcConstants.FIRST_PROTOBUF_RESPONSE_VERSION) {
      return new PreambleRefusal(new Fatal(RpcConstants.UNKNOWN_CALL_ID,
          RpcConstants.INVALID_RETRY_COUNT, ByteString.EMPTY, HadoopNames.VERSION_MISMATCH,
          message, RpcErrorCodeProto.FATAL_VERSION_MISMATCH), null, reason);
    }
    if (version >= RpcConstants.FIRST_OLD_FATAL_VERSION) {
      return new PreambleRefusal(null,
          oldVersionFatal(HadoopNames.VERSION_MISMATCH, message),
          reason + " (answered with the pre-v9 version mismatch)");
    }
    return new PreambleRefusal(null, null, reason);
  }

  private static final byte[] HTTP_NOT_FOUND =
      RpcConstants.HTTP_NOT_FOUND_RESPONSE.getBytes(StandardCharsets.US_ASCII);

  /** The bytes answering an HTTP request on the IPC port. */
  static byte[] httpNotFound() {
    return HTTP_NOT_FOUND.clone();
  }

  /** The message Hadoop sends to a client speaking another IPC version. */
  static String versionMismatchMessage(int clientVersion) {
    return "Server IPC version " + RpcConstants.CURRENT_VERSION
        + " cannot communicate with client version " + clientVersion;
  }

  /** The pre-protobuf fatal answer read by client versions 3 to 8. */
  static byte[] oldVersionFatal(String exceptionClassName, String message) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(RpcConstants.UNKNOWN_CALL_ID);
      out.writeInt(RpcConstants.OLD_VERSION_FATAL_STATUS);
      writeString(out, exceptionClassName);
      writeString(out, message);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory stream: cannot happen
    }
    return bytes.toByteArray();
  }

  /** Hadoop's {@code WritableUtils.writeString}: int32 byte length, then UTF-8 bytes. */
  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  /** The first {@code n} bytes as hex, for log lines. */
  static String hex(byte[] bytes, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(String.format("%02x", bytes[i] & 0xff));
    }
    return sb.toString();
  }
}

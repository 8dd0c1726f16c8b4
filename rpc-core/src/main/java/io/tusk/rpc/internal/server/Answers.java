package io.tusk.rpc.internal.server;

import io.tusk.rpc.wire.RpcConstants;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The answers a server writes before (or instead of) framing: the HTTP 404 for a browser and the
 * pre-protobuf version-mismatch layout for Hadoop clients older than version 9.
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
}

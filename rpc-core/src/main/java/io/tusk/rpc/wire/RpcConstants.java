package io.tusk.rpc.wire;

import java.nio.charset.StandardCharsets;

/**
 * The numbers of the Hadoop IPC v9 wire format in one place (see shared/WIRE.md): versions, call
 * ids, retry counts, lengths, plus the fixed texts of the HTTP answer. The Hadoop class names that
 * travel on the wire are in {@link HadoopNames}.
 *
 * <p>Nothing here is configurable: these numbers are what a Hadoop 3.x peer sends and expects.
 */
public final class RpcConstants {
  private RpcConstants() {}

  /** The magic that opens every connection; package-private because arrays are mutable. */
  static final byte[] MAGIC = "hrpc".getBytes(StandardCharsets.US_ASCII);

  /** The four magic bytes that open every connection, {@code 'h' 'r' 'p' 'c'}: a fresh copy. */
  public static byte[] magic() {
    return MAGIC.clone();
  }

  /** The only IPC version spoken: 9 (Hadoop 2.x and 3.x). */
  public static final byte CURRENT_VERSION = 9;

  /** Length of the connection preamble: magic, version, service class, auth protocol. */
  public static final int PREAMBLE_LENGTH = 7;

  /** Default service class byte of the preamble. */
  public static final byte DEFAULT_SERVICE_CLASS = 0;

  /** Auth protocol byte for simple authentication without SASL. */
  public static final byte AUTH_PROTOCOL_NONE = 0;

  /** Auth protocol byte announcing a SASL exchange (0xDF). */
  public static final byte AUTH_PROTOCOL_SASL = -33;

  /**
   * Hadoop's {@code AUTHORIZATION_FAILED_CALL_ID} (-1). Hadoop's server also uses -1 for answers
   * that belong to no call; Tusk names that use {@link #UNKNOWN_CALL_ID} (same value).
   */
  public static final int AUTHORIZATION_FAILED_CALL_ID = -1;

  /**
   * Call id of a response that answers no call: a version mismatch, a request header that did not
   * parse. The same value as {@link #AUTHORIZATION_FAILED_CALL_ID}, as in Hadoop.
   */
  public static final int UNKNOWN_CALL_ID = -1;

  /**
   * Hadoop's {@code RpcConstants.INVALID_CALL_ID} (-2): a call id no real call carries. Tusk's
   * server never sends it (see {@link #UNKNOWN_CALL_ID}); a client fails every pending call on a
   * FATAL answer for it.
   */
  public static final int INVALID_CALL_ID = -2;

  /** Call id of the connection context, the first frame after the preamble. */
  public static final int CONNECTION_CONTEXT_CALL_ID = -3;

  /** Call id of a client ping; the server reads it and sends nothing back. */
  public static final int PING_CALL_ID = -4;

  /** Call id of SASL negotiation messages. */
  public static final int SASL_CALL_ID = -33;

  /**
   * Retry count of headers that are not calls (connection context, ping) and of synthetic server
   * responses: the field's default, meaning "no retry count".
   */
  public static final int INVALID_RETRY_COUNT = -1;

  /** Retry count of a call's first attempt; Hadoop's client sends 0 unless it is retrying. */
  public static final int FIRST_ATTEMPT_RETRY_COUNT = 0;

  /** Length of the client id: a UUID as 16 bytes. */
  public static final int CLIENT_ID_LENGTH = 16;

  /** Size of the big-endian length prefix of a frame. */
  public static final int FRAME_LENGTH_FIELD = 4;

  /** Default for {@code ipc.maximum.data.length}: 128 MiB. */
  public static final int DEFAULT_MAX_DATA_LENGTH = 128 * 1024 * 1024;

  /**
   * Largest frame accepted before the connection context: the context names a user and a protocol,
   * so a few KiB is plenty, and a stranger cannot make the server buffer more than that.
   */
  public static final int MAX_SETUP_FRAME_LENGTH = 8 * 1024;

  /** What a client sees when it speaks HTTP to the IPC port. */
  public static final String HTTP_GET_MAGIC = "GET ";

  /**
   * The answer to an HTTP {@code GET} on the IPC port, byte for byte what Hadoop 3.4.2's server
   * sends (its {@code Server.RECEIVED_HTTP_REQ_RESPONSE}): written raw, with no length prefix,
   * then the connection closes.
   */
  public static final String HTTP_NOT_FOUND_RESPONSE = "HTTP/1.1 404 Not Found\r\n"
      + "Content-type: text/plain\r\n\r\n"
      + "It looks like you are making an HTTP request to a Hadoop IPC port. "
      + "This is not the correct port for the web interface on this daemon.\r\n";

  /** Oldest client version that reads a version mismatch as a framed protobuf response header. */
  public static final int FIRST_PROTOBUF_RESPONSE_VERSION = 9;

  /** Oldest client version that reads the pre-protobuf fatal layout (Hadoop 0.20 to 2.0-alpha). */
  public static final int FIRST_OLD_FATAL_VERSION = 3;

  /** Status word of the pre-protobuf fatal layout: {@code int callId, int -1, string, string}. */
  public static final int OLD_VERSION_FATAL_STATUS = -1;

  /** @deprecated a class name, not a number: use {@link HadoopNames#VERSION_MISMATCH}. */
  @Deprecated
  public static final String VERSION_MISMATCH_CLASS = HadoopNames.VERSION_MISMATCH;

  /** @deprecated a class name, not a number: use {@link HadoopNames#RPC_SERVER_EXCEPTION}. */
  @Deprecated
  public static final String RPC_SERVER_EXCEPTION_CLASS = HadoopNames.RPC_SERVER_EXCEPTION;

  /** @deprecated a class name, not a number: use {@link HadoopNames#ACCESS_CONTROL_EXCEPTION}. */
  @Deprecated
  public static final String ACCESS_CONTROL_EXCEPTION_CLASS = HadoopNames.ACCESS_CONTROL_EXCEPTION;

  /** @deprecated a class name, not a number: use {@link HadoopNames#IPC_EXCEPTION}. */
  @Deprecated
  public static final String IPC_EXCEPTION_CLASS = HadoopNames.IPC_EXCEPTION;
}

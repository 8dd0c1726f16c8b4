package io.tusk.rpc.wire;

import java.nio.charset.StandardCharsets;

/**
 * The 7-byte connection preamble a client sends once, before any frame.
 *
 * <pre>
 * +-----+-----+-----+-----+---------+---------------+---------------+
 * | 'h' | 'r' | 'p' | 'c' | version | service class | auth protocol |
 * +-----+-----+-----+-----+---------+---------------+---------------+
 *   0     1     2     3       4            5               6
 * version = 9; auth protocol 0 = NONE (simple auth), -33 = SASL
 * </pre>
 *
 * <p>The server side calls {@link #check(byte[])} on the first seven bytes (or on the first four,
 * with {@link #looksLikeHttp(byte[], int)}, to answer a browser early).
 */
public final class Preamble {
  private Preamble() {}

  /** What a server concludes from a received preamble. */
  public enum Verdict {
    /** Magic, version and auth protocol are what Tusk speaks. */
    OK,
    /** The bytes start with {@code "GET "}: someone pointed a web client at the IPC port. */
    HTTP_GET,
    /** The first four bytes are not {@code hrpc}. */
    BAD_MAGIC,
    /** The magic is right but the version is not 9. */
    BAD_VERSION,
    /** The client asks for SASL, which Tusk does not offer yet. */
    SASL_NOT_SUPPORTED,
    /** The auth protocol byte is neither NONE nor SASL. */
    UNKNOWN_AUTH_PROTOCOL
  }

  /** Encodes the preamble for simple authentication and the given service class. */
  public static byte[] encode(byte serviceClass) {
    return encode(RpcConstants.CURRENT_VERSION, serviceClass, RpcConstants.AUTH_PROTOCOL_NONE);
  }

  /** Encodes a preamble with every byte chosen; tests use it to send wrong versions. */
  public static byte[] encode(byte version, byte serviceClass, byte authProtocol) {
    byte[] out = new byte[RpcConstants.PREAMBLE_LENGTH];
    System.arraycopy(RpcConstants.MAGIC, 0, out, 0, 4);
    out[4] = version;
    out[5] = serviceClass;
    out[6] = authProtocol;
    return out;
  }

  /** True when the first {@code length} (at least four) bytes read are {@code "GET "}. */
  public static boolean looksLikeHttp(byte[] bytes, int length) {
    if (length < 4) {
      return false;
    }
    byte[] get = RpcConstants.HTTP_GET_MAGIC.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 4; i++) {
      if (bytes[i] != get[i]) {
        return false;
      }
    }
    return true;
  }

  /** Judges a complete preamble. {@code preamble} must hold at least seven bytes. */
  public static Verdict check(byte[] preamble) {
    if (preamble.length < RpcConstants.PREAMBLE_LENGTH) {
      throw new IllegalArgumentException("a preamble has " + RpcConstants.PREAMBLE_LENGTH
          + " bytes, got " + preamble.length);
    }
    if (looksLikeHttp(preamble, preamble.length)) {
      return Verdict.HTTP_GET;
    }
    for (int i = 0; i < 4; i++) {
      if (preamble[i] != RpcConstants.MAGIC[i]) {
        return Verdict.BAD_MAGIC;
      }
    }
    if (preamble[4] != RpcConstants.CURRENT_VERSION) {
      return Verdict.BAD_VERSION;
    }
    byte auth = preamble[6];
    if (auth == RpcConstants.AUTH_PROTOCOL_NONE) {
      return Verdict.OK;
    }
    return auth == RpcConstants.AUTH_PROTOCOL_SASL
        ? Verdict.SASL_NOT_SUPPORTED
        : Verdict.UNKNOWN_AUTH_PROTOCOL;
  }

  /** The version byte of a preamble, as an unsigned number, for error messages. */
  public static int version(byte[] preamble) {
    return preamble[4] & 0xff;
  }

  /** The service class byte of a preamble. */
  public static byte serviceClass(byte[] preamble) {
    return preamble[5];
  }
}

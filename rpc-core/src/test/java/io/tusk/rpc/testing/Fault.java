package io.tusk.rpc.testing;

/**
 * What a {@link FaultInjectingProxy} does to one direction of one proxied connection, starting
 * once {@code afterBytes} bytes have passed in that direction ({@code 0} = from the start, before
 * anything is read). Immutable.
 *
 * <ul>
 *   <li>{@link Kind#PASS}: forward everything, as a cable would.</li>
 *   <li>{@link Kind#RESET}: forward {@code afterBytes}, then close both sockets with
 *       {@code SO_LINGER 0}, so client and server each get a TCP RST.</li>
 *   <li>{@link Kind#TRUNCATE}: forward {@code afterBytes}, then close both sockets normally (FIN).
 *   </li>
 *   <li>{@link Kind#DISCARD}: forward {@code afterBytes}, then keep reading and throw the bytes
 *       away, without closing: a peer whose packets are acknowledged but never arrive, as behind a
 *       dropped NAT entry or a half-dead host. A close by the sender is not passed on either.</li>
 *   <li>{@link Kind#STALL}: forward {@code afterBytes}, then stop reading without closing: the
 *       sender's socket buffers fill up and its writes eventually block.</li>
 *   <li>{@link Kind#DELAY}: from {@code afterBytes} on, hold each chunk read for
 *       {@code delayMillis} before forwarding it.</li>
 * </ul>
 *
 * @param kind what happens
 * @param afterBytes bytes forwarded untouched before the fault starts
 * @param delayMillis for {@link Kind#DELAY}, the hold per chunk; otherwise 0
 */
public record Fault(Kind kind, long afterBytes, long delayMillis) {
  /** The kinds of fault; see the class comment. */
  public enum Kind { PASS, RESET, TRUNCATE, DISCARD, STALL, DELAY }

  private static final Fault PASS = new Fault(Kind.PASS, 0, 0);

  public Fault {
    if (kind == null) {
      throw new IllegalArgumentException("kind must not be null");
    }
    if (afterBytes < 0) {
      throw new IllegalArgumentException("afterBytes must be >= 0, got " + afterBytes);
    }
    if (kind == Kind.DELAY ? delayMillis <= 0 : delayMillis != 0) {
      throw new IllegalArgumentException("delayMillis must be positive for DELAY and 0 otherwise, "
          + "got " + delayMillis + " for " + kind);
    }
  }

  /** No fault. */
  public static Fault pass() {
    return PASS;
  }

  /** RST to both peers after {@code bytes} have passed this way. */
  public static Fault resetAfter(long bytes) {
    return new Fault(Kind.RESET, bytes, 0);
  }

  /** RST to both peers as soon as the connection is proxied. */
  public static Fault resetNow() {
    return resetAfter(0);
  }

  /** A normal close of both sockets after {@code bytes} have passed this way. */
  public static Fault truncateAfter(long bytes) {
    return new Fault(Kind.TRUNCATE, bytes, 0);
  }

  /** Read and throw away everything after the first {@code bytes}. */
  public static Fault discardAfter(long bytes) {
    return new Fault(Kind.DISCARD, bytes, 0);
  }

  /** Stop reading after the first {@code bytes}. */
  public static Fault stallAfter(long bytes) {
    return new Fault(Kind.STALL, bytes, 0);
  }

  /** Hold every chunk for {@code millis} before forwarding it. */
  public static Fault delay(long millis) {
    return delayAfter(0, millis);
  }

  /** Hold every chunk after the first {@code bytes} for {@code millis}. */
  public static Fault delayAfter(long bytes, long millis) {
    return new Fault(Kind.DELAY, bytes, millis);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case PASS -> "PASS";
      case DELAY -> "DELAY " + delayMillis + " ms after " + afterBytes + " B";
      default -> kind + " after " + afterBytes + " B";
    };
  }
}

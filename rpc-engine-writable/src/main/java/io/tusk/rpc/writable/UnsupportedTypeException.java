package io.tusk.rpc.writable;

import java.io.IOException;

/**
 * Thrown by {@link ObjectWritable} (and so by {@link Invocation}) when asked to write a value whose
 * type the Writable encoding cannot carry, for example a {@code java.util.List} parameter, a
 * {@code Writable} without a usable class, or a value that does not match its declared class.
 * Hadoop throws a plain {@code IOException("Can't write: ...")} in the same places; this subclass
 * also tells which type it was. Nothing is ever silently written as {@code null}.
 */
public class UnsupportedTypeException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Class<?> type;

  /**
   * Creates the exception.
   *
   * @param type the type that cannot be written
   * @param reason why, appended to a message that names the type
   */
  public UnsupportedTypeException(Class<?> type, String reason) {
    super("Can't write a value of type " + type.getName() + " with the Writable encoding: "
        + reason);
    this.type = type;
  }

  /**
   * Returns the type that could not be written.
   *
   * @return the rejected type, or {@code null} after Java deserialization
   */
  public Class<?> getType() {
    return type;
  }
}

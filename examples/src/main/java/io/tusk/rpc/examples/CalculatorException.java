package io.tusk.rpc.examples;

import java.io.IOException;

/**
 * A calculation {@link Calculator} cannot do (division by zero, overflow). An {@link IOException}
 * on purpose: the Writable engine, like Hadoop's, sends an implementation's IOException under its
 * own class name, while any other exception travels as an IOException wrapping its text.
 */
public class CalculatorException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An exception with {@code message}; the public String constructor lets clients rebuild it. */
  public CalculatorException(String message) {
    super(message);
  }
}

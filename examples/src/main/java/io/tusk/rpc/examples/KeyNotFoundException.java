package io.tusk.rpc.examples;

import java.io.IOException;

/**
 * The key asked for is not in the store. Travels by class name; a client unwraps it back to this
 * type because it has a {@code (String)} constructor.
 */
public class KeyNotFoundException extends IOException {
  private static final long serialVersionUID = 1L;

  public KeyNotFoundException(String message) {
    super(message);
  }
}

package io.tusk.rpc.examples.cli;

/** A command line that cannot be run as given; its message is the one-line reason shown. */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A usage error with the one-line reason {@code message}. */
  public UsageException(String message) {
    super(message);
  }
}

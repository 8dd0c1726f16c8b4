package io.tusk.rpc;

import java.io.IOException;

/**
 * The server could not take the call now (for example its call queue is full) and asks the client
 * to back off and try again. Nothing of the call was executed.
 */
@WireName("org.apache.hadoop.ipc.RetriableException")
public class RetriableException extends IOException {
  private static final long serialVersionUID = 1L;

  public RetriableException(String message) {
    super(message);
  }
}

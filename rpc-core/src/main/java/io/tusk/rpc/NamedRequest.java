package io.tusk.rpc;

/**
 * Implemented by an engine's decoded request objects so that the server's per-method metrics,
 * slow-call log and interceptors ({@link io.tusk.rpc.intercept.ServerCall}) can name the method
 * and protocol being called. Requests that do not implement it are counted under their
 * {@link RpcKind}'s name.
 */
public interface NamedRequest {
  /** The name of the method the request calls, e.g. {@code "echo"}. */
  String methodName();

  /**
   * The protocol the request names (e.g. the declaring interface's protocol name), or
   * {@code null} when it names none; interceptors then see the connection's protocol.
   */
  default String protocolName() {
    return null;
  }
}

package io.tusk.rpc;

/**
 * Implemented by an engine's decoded request objects so that the server's per-method metrics,
 * slow-call log and verbose log can name the method being called. Requests that do not implement
 * it are counted under their {@link RpcKind}'s name.
 */
public interface NamedRequest {
  /** The name of the method the request calls, e.g. {@code "echo"}. */
  String methodName();
}

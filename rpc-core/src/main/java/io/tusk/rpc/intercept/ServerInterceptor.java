package io.tusk.rpc.intercept;

import io.tusk.rpc.RpcPayload;

/**
 * Runs around every call a server handles, after the request is decoded and before the engine's
 * invoker: logging, authorization, tracing, per-call policies. Added with
 * {@code Server.Builder.interceptor(...)}; the first added is the outermost (its code before
 * {@link Chain#proceed()} runs first, its code after runs last).
 *
 * <p>An interceptor may
 * <ul>
 *   <li>go on: {@code return next.proceed();}, possibly looking at the payload or the failure;
 *   <li>short-circuit: return a payload of its own without proceeding (the invoker never runs);
 *   <li>refuse: throw. The client gets the same error answer as if the invoker had thrown it:
 *       an {@link io.tusk.rpc.RpcServerException} with its own status and code, anything else as
 *       ERROR_APPLICATION with the exception's wire name and message.
 * </ul>
 *
 * <p>Threads: called on the handler thread running the call, with
 * {@link io.tusk.rpc.server.Server#getCurrentCall()} set. Implementations are shared by every
 * handler and must be thread-safe; per-call state belongs in local variables.
 */
@FunctionalInterface
public interface ServerInterceptor {
  /**
   * @param call the call: its context, protocol, method, decoded request and timings
   * @param next the rest of the chain; {@link Chain#proceed()} at most once
   * @return the response payload, never null
   */
  RpcPayload intercept(ServerCall call, Chain next) throws Exception;

  /** The interceptors after this one, then the engine's invoker. */
  interface Chain {
    /**
     * Runs the rest of the chain and returns its payload; throws what it throws (reflection
     * wrappers such as {@code InvocationTargetException} already taken off).
     *
     * @throws IllegalStateException when called a second time by the same interceptor
     */
    RpcPayload proceed() throws Exception;
  }
}

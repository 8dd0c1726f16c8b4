package io.tusk.rpc.intercept;

import io.tusk.rpc.server.CallContext;

/**
 * One call as a {@link ServerInterceptor} sees it. The server's own per-call object implements
 * it, so interceptors cost no extra allocation; do not keep it past the call.
 */
public interface ServerCall {
  /** Who is calling, from where, and what the request header carried. */
  CallContext context();

  /**
   * The protocol the request names ({@link io.tusk.rpc.NamedRequest#protocolName()}), or the
   * connection's protocol ({@link CallContext#protocol()}) when the request names none.
   */
  String protocolName();

  /**
   * The method called ({@link io.tusk.rpc.NamedRequest#methodName()}), or the engine kind's name
   * for requests that do not name one. The name metrics count the call under.
   */
  String methodName();

  /** What the engine's decoder returned. */
  Object request();

  /** When the call was read, taken, started; set as the call goes. */
  CallTimings timings();
}

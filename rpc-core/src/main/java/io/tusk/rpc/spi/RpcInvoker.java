package io.tusk.rpc.spi;

import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.RpcServerException;
import io.tusk.rpc.WireName;
import io.tusk.rpc.server.CallContext;

/**
 * Server side of an engine: runs one decoded request and returns the response payload. Called on a
 * handler thread, where {@link io.tusk.rpc.server.Server#getCurrentCall()} returns {@code call}.
 *
 * <p>It gets the protocols hosted for its kind as the registry resolved them
 * ({@link ProtocolBindings}), not the server: an engine can find its implementation but cannot
 * stop the server or touch another kind's protocols, and a call costs one map lookup, not a
 * registry search.
 *
 * <p>Exceptions become error responses: an {@link RpcServerException} with its own status and code,
 * anything else as ERROR_APPLICATION with the exception's {@link WireName wire name} and message.
 *
 * @param <R> the engine's request type, as its {@link RequestDecoder} returns it
 */
@FunctionalInterface
public interface RpcInvoker<R> {
  /**
   * @param protocols the protocols hosted for this engine's kind on the server the call arrived at
   * @param call who is calling and on which connection
   * @param request what the engine's {@link RequestDecoder} returned
   * @return the response bytes to send after a SUCCESS header, never null
   */
  RpcPayload call(ProtocolBindings protocols, CallContext call, R request) throws Exception;
}

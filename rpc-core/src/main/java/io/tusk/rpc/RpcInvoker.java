package io.tusk.rpc;

import io.tusk.rpc.server.CallContext;
import io.tusk.rpc.server.Server;

/**
 * Server side of an engine: runs one decoded request and returns the response payload. Called on a
 * handler thread, where {@link Server#getCurrentCall()} returns {@code call}.
 *
 * <p>Exceptions become error responses: an {@link RpcServerException} with its own status and code,
 * anything else as ERROR_APPLICATION with the exception's {@link WireName wire name} and message.
 */
@FunctionalInterface
public interface RpcInvoker {
  /**
   * @param server the server the call arrived at (protocol implementations live in its
   *     {@link Server#protocols() registry})
   * @param call who is calling and on which connection
   * @param request what the engine's {@link RequestDecoder} returned
   * @return the response bytes to send after a SUCCESS header, never null
   */
  RpcPayload call(Server server, CallContext call, Object request) throws Exception;
}

package io.tusk.rpc;

import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import java.io.IOException;

/**
 * An RPC engine: how calls on a protocol interface become request bytes on the client and how
 * those bytes become method invocations on the server.
 *
 * <p>Engines live in their own modules and are found by class name (the setting
 * {@code rpc.engine.<protocol class name>}, see {@link RPC#getProtocolEngine}) or, for the default,
 * through {@link java.util.ServiceLoader}. An implementation must have a public no-argument
 * constructor and be stateless or thread-safe: one instance serves every proxy and server.
 */
public interface RpcEngine {
  /** The wire kind this engine's requests carry. */
  RpcKind rpcKind();

  /** What a server must register to answer this engine's requests. */
  EngineRegistration serverRegistration();

  /**
   * Creates a client-side proxy implementing {@code protocol} whose calls go through {@code client}
   * on the connection identified by {@code remote}.
   */
  <T> T getProxy(Class<T> protocol, long clientVersion, ConnectionId remote, Client client)
      throws IOException;
}

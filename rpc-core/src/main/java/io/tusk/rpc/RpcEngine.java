package io.tusk.rpc;

import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.server.Server;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;

/**
 * An RPC engine: how calls on a protocol interface become request bytes on the client and how
 * those bytes become method invocations on the server.
 *
 * <p>Engines live in their own modules and are found by class name (the setting
 * {@code rpc.engine.<protocol class name>}, see {@link RPC#getProtocolEngine}) or, for the default,
 * through {@link java.util.ServiceLoader}. An implementation must have a public no-argument
 * constructor and be stateless or thread-safe: one instance serves every proxy and server.
 *
 * <p>Only {@link #rpcKind()}, {@link #serverRegistration()} and {@link #getProxy} are required.
 * {@link #addProtocol} and {@link #callAsync} have defaults, so an engine overrides them only when
 * it hosts protocols in a special way (the Writable engine also hosts super-interfaces) or supports
 * {@link RPC#call parallel calls}.
 */
public interface RpcEngine {
  /** The wire kind this engine's requests carry. */
  RpcKind rpcKind();

  /** What a server must register to answer this engine's requests. */
  EngineRegistration serverRegistration();

  /**
   * Creates a client-side proxy implementing {@code protocol} whose calls go through {@code client}
   * on the connection identified by {@code remote}. The proxy does not own {@code client}: whoever
   * created the client closes it (the {@link RPC} facade counts references per client).
   */
  <T> T getProxy(Class<T> protocol, long clientVersion, ConnectionId remote, Client client)
      throws IOException;

  /**
   * Hosts {@code implementation} for {@code protocol} on {@code server}, in the server's
   * {@link Server#protocols() registry} under this engine's kind, the protocol's
   * {@link RPC#getProtocolName name} and {@link RPC#getProtocolVersion version}. Called by
   * {@link RPC.Server#addProtocol} and {@link RPC.Builder#build()}.
   *
   * <p>It does <em>not</em> register the engine: the caller registers {@link #serverRegistration()}
   * (or a wrapper of it, such as the facade's verbose logging) on the server first. Calling it
   * twice for the same protocol and version replaces the implementation.
   *
   * @param server the server to host the protocol on
   * @param protocol the protocol interface (or, for the protobuf engine, its {@code ...PB}
   *     interface)
   * @param implementation the object calls are dispatched to (for the protobuf engine, the
   *     {@code BlockingService})
   * @throws IllegalArgumentException when the protocol has no version or the implementation does
   *     not fit it
   */
  default void addProtocol(Server server, Class<?> protocol, Object implementation) {
    server.protocols().add(rpcKind(), RPC.getProtocolName(protocol),
        RPC.getProtocolVersion(protocol), protocol, implementation);
  }

  /**
   * Hosts the protocols that every server offers for this engine, on a server that
   * {@link RPC.Builder#build()} builds. Called once for each engine found through
   * {@link java.util.ServiceLoader}, after the builder's own protocol is hosted; use
   * {@link RPC.Server#addProtocol} so that the facade's engine registration (and verbose logging)
   * applies. The protobuf engine hosts the protocol meta-info service here, as Hadoop hosts it on
   * every server. The default hosts nothing.
   */
  default void addBuiltinProtocols(RPC.Server server) {
  }

  /**
   * Starts one call of {@code method} with {@code args} on {@code remote} and completes with the
   * method's return value (a box for primitives, {@code null} for void). Used by
   * {@link RPC#call(Method, Object[][], java.net.InetSocketAddress[],
   * io.tusk.rpc.conf.Configuration)} to call several servers at once without a thread each.
   *
   * <p>The default fails with {@link UnsupportedOperationException}: only engines that can
   * encode a call from a bare {@link Method} (the Writable engine) support it.
   */
  default CompletableFuture<Object> callAsync(Method method, Object[] args, ConnectionId remote,
      Client client) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException(
        getClass().getName() + " does not support RPC.call (parallel calls); use the Writable "
            + "engine for " + method.getDeclaringClass().getName()));
  }
}

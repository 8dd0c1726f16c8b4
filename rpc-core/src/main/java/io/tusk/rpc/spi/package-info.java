/**
 * The engine SPI: what an RPC engine implements so that the core can carry its calls, and nothing
 * of the {@link io.tusk.rpc.RPC} facade.
 *
 * <ul>
 *   <li>{@link io.tusk.rpc.spi.ServerEngine}: one engine's server half — its identity
 *       ({@code id()}), its {@link io.tusk.rpc.RpcKind}, a typed {@link RequestDecoder} and
 *       {@link RpcInvoker}, and {@code host(...)}, which validates an implementation when a
 *       protocol is added;</li>
 *   <li>{@link io.tusk.rpc.spi.ProtocolBindings} / {@link io.tusk.rpc.spi.ProtocolBinding}: what
 *       the server's protocol registry resolved for one kind, handed to the invoker for each call
 *       so that it never looks the protocol up in the registry itself;</li>
 *   <li>{@link io.tusk.rpc.spi.ClientEngine}: one engine's client half, which makes proxies;</li>
 *   <li>{@link io.tusk.rpc.spi.BuiltinProtocols}: protocols every facade server hosts (found
 *       through {@link java.util.ServiceLoader}, once).</li>
 * </ul>
 *
 * <p>{@link io.tusk.rpc.RpcKind} mirrors the wire's closed {@code RpcKindProto} (BUILTIN,
 * WRITABLE, PROTOCOL_BUFFER): a server holds one engine per kind, so a third-party engine does not
 * add a kind, it <em>replaces</em> one of the three on the servers it is registered on (the
 * {@code rpc-engine-testkit} module's line engine takes RPC_BUILTIN).
 */
package io.tusk.rpc.spi;

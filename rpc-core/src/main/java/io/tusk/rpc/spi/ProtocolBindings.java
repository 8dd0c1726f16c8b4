package io.tusk.rpc.spi;

import io.tusk.rpc.RpcKind;

/**
 * The protocols one server hosts for one {@link RpcKind}, as its
 * {@link io.tusk.rpc.server.ProtocolRegistry} resolved them: what an {@link RpcInvoker} gets for
 * every call. The registry resolves a binding when a protocol is added (or replaced), so a lookup
 * here is a map read and a short scan of the name's versions, without allocating; an invoker never
 * searches the registry itself.
 *
 * <p>Thread-safe; lookups see every protocol added before the call was dispatched.
 */
public interface ProtocolBindings {
  /** The kind whose protocols these are. */
  RpcKind kind();

  /** The binding for exactly ({@code name}, {@code version}), or {@code null} when not hosted. */
  ProtocolBinding get(String name, long version);

  /** The highest version of {@code name} hosted, or {@code null} when none is. */
  ProtocolBinding highest(String name);
}

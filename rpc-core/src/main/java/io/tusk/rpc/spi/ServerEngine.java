package io.tusk.rpc.spi;

import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.server.ProtocolRegistry;
import java.util.Objects;

/**
 * The server half of an RPC engine, as one server registers it: for one {@link RpcKind}, how to
 * decode requests ({@link #decoder()}), how to run them ({@link #invoker()}), and how to host a
 * protocol implementation ({@link #host}), checking that it fits when it is added rather than on
 * its first call.
 *
 * <p>Identity is explicit: {@link #id()}. A server holds one engine per kind; registering an engine
 * whose id equals the registered one's is a no-op (the first registration stays, so a facade
 * server's verbose-logging wrapper survives a later plain registration of the same engine), and
 * registering a different id for a taken kind is an error.
 *
 * <p>Instances may hold per-server state (the Writable engine's class-name cache): engines hand
 * out a fresh instance per server. The decoder and invoker are called on handler threads, many at
 * once, so they must be thread-safe; {@link #host} may be called from any thread, before or after
 * the server starts.
 *
 * @param <R> the engine's request type
 */
public interface ServerEngine<R> {
  /**
   * The engine's identity, stable across instances and versions of it (e.g. its class name):
   * equal ids mean "the same engine".
   */
  String id();

  /** The wire kind whose requests this engine answers. */
  RpcKind kind();

  /** Turns request bytes into the engine's request; see {@link RequestDecoder}. */
  RequestDecoder<R> decoder();

  /** Runs decoded requests; see {@link RpcInvoker}. */
  RpcInvoker<R> invoker();

  /**
   * Hosts {@code implementation} for {@code protocol} in {@code registry} under this engine's
   * kind, after checking that it fits. Adding the same (name, version) again replaces the
   * implementation, as Hadoop does. The default hosts under the protocol's
   * {@link RPC#getProtocolName name} and {@link RPC#getProtocolVersion version} and checks
   * nothing beyond that; the shipped engines check their implementation type.
   *
   * @throws IllegalArgumentException when the protocol has no version or the implementation does
   *     not fit it (the message says what was expected)
   */
  default void host(ProtocolRegistry registry, Class<?> protocol, Object implementation) {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(implementation, "implementation");
    registry.add(kind(), RPC.getProtocolName(protocol), RPC.getProtocolVersion(protocol),
        protocol, implementation);
  }

  /**
   * An engine made of a decoder and an invoker, hosting with the default {@link #host}: enough
   * for engines whose implementations need no check (tests, raw-bytes engines).
   */
  static <R> ServerEngine<R> of(String id, RpcKind kind, RequestDecoder<R> decoder,
      RpcInvoker<R> invoker) {
    return new SimpleServerEngine<>(id, kind, decoder, invoker);
  }
}
